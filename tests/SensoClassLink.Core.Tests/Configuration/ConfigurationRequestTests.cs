using System;
using System.Collections.Generic;
using System.IO;
using SensoClassLink.Core.Configuration;
using Xunit;

namespace SensoClassLink.Core.Tests.Configuration;

/// <summary>The rules New-SensoClassLinkConfiguration applies to its parameters before it writes anything.</summary>
public sealed class ConfigurationRequestTests
{
    private static readonly IReadOnlyDictionary<string, string> SetVariables = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CLASSLINK_SECRET"] = "value",
        ["PFX_PASSWORD"] = "value",
        ["SENSO_SECRET"] = "value",
        // Set, though it looks like a generated key: Windows allows such names.
        ["Xk4Rb9TwQm2LpZ7vNc3HdJsY"] = "value",
    };

    private static ConfigurationRequest Csv() => new()
    {
        ResolvePath = path => Path.Combine("/base", path),
        GetEnvironmentVariable = name => SetVariables.TryGetValue(name, out var value) ? value : null,
        CsvPath = "district",
    };

    private static ConfigurationRequest Api(string authMethod = "oauth1")
    {
        var request = Csv();
        request.RosterIsApi = true;
        request.CsvPath = null;
        request.ClassLinkApiUrl = "https://district.oneroster.com";
        request.AuthMethod = authMethod;
        request.ClientId = authMethod == "bearer" ? null : "key";
        request.ClientSecretVariable = "CLASSLINK_SECRET";
        request.TokenUrl = authMethod == "oauth2" ? "https://district.oneroster.com/token" : null;
        return request;
    }

    private static ConfigurationRequest SensoApi()
    {
        var request = Csv();
        request.SensoIsApi = true;
        request.SensoApiUrl = "https://senso.example";
        request.SensoAuthority = "https://login.microsoftonline.com/tenant";
        request.SensoClientId = "app";
        return request;
    }

    [Fact]
    public void GoodParametersHaveNoProblemsAndResolveTheirPaths()
    {
        var request = Csv();
        request.StatePath = "state.db";
        request.SensoTenantPath = "tenant.db";

        var draft = request.ToDraft();

        Assert.Empty(request.FindProblems());
        Assert.Equal(RosterSourceKind.csv, draft.RosterSource);
        Assert.Equal(Path.Combine("/base", "district"), draft.CsvPath);
        Assert.Equal(Path.Combine("/base", "state.db"), draft.StatePath);
        Assert.Equal(SensoProviderKind.local, draft.SensoProvider);
        Assert.Equal(Path.Combine("/base", "tenant.db"), draft.LocalTenantPath);
    }

    [Fact]
    public void ApiParametersBecomeTheDraftWithSecretsAsReferences()
    {
        var request = Api("oauth2");
        request.OneRosterVersion = "1.2";
        request.Scope = new[] { "roster-core.readonly" };

        var draft = request.ToDraft();

        Assert.Equal(RosterSourceKind.api, draft.RosterSource);
        Assert.Null(draft.CsvPath);
        Assert.Equal("https://district.oneroster.com", draft.RosterApiUrl);
        Assert.Equal(OneRosterVersion.V1_2, draft.Version);
        Assert.Equal(RosterAuthMethod.OAuth2, draft.AuthMethod);
        Assert.Equal("key", draft.ClientId);
        Assert.Equal("env:CLASSLINK_SECRET", draft.ClientSecret!.ToString());
        Assert.Equal("classlink.api.auth.clientSecret", draft.ClientSecret.Key);
        Assert.Equal("https://district.oneroster.com/token", draft.TokenUrl);
        Assert.Equal(new[] { "roster-core.readonly" }, draft.Scopes);
    }

    [Fact]
    public void BearerTokenIsReferencedUnderTheTokenKey()
    {
        var request = Api("bearer");
        request.ClientSecretVariable = null;
        request.ClientSecretFile = "token.txt";

        var draft = request.ToDraft();

        Assert.Equal(RosterAuthMethod.Bearer, draft.AuthMethod);
        Assert.Equal(SecretReferenceKind.File, draft.ClientSecret!.Kind);
        Assert.Equal(Path.Combine("/base", "token.txt"), draft.ClientSecret.Target);
        Assert.Equal("classlink.api.auth.token", draft.ClientSecret.Key);
    }

    [Fact]
    public void SensoApiCredentialsBecomeReferences()
    {
        var request = SensoApi();
        request.CertificatePath = "app.pfx";
        request.CertificatePasswordVariable = "PFX_PASSWORD";
        request.SensoScope = new[] { "api://senso/.default" };

        var draft = request.ToDraft();

        Assert.Equal(SensoProviderKind.api, draft.SensoProvider);
        Assert.Null(draft.LocalTenantPath);
        Assert.Equal(Path.Combine("/base", "app.pfx"), draft.CertificatePath);
        Assert.Equal("env:PFX_PASSWORD", draft.CertificatePassword!.ToString());
        Assert.Equal("senso.api.certificatePassword", draft.CertificatePassword.Key);
        Assert.Null(draft.SensoClientSecret);
        Assert.Equal(new[] { "api://senso/.default" }, draft.SensoScopes);
    }

    [Fact]
    public void EachSecretIsGivenOneWay()
    {
        var request = Api();
        request.ClientSecretFile = "secret.txt";
        request.SensoIsApi = true;
        request.SensoClientSecretVariable = "SENSO_SECRET";
        request.SensoClientSecretFile = "senso.txt";
        request.CertificatePath = "app.pfx";
        request.CertificatePasswordVariable = "PFX_PASSWORD";
        request.CertificatePasswordFile = "pfx.txt";

        var problems = request.FindProblems();

        Assert.Contains("Give only one of -ClientSecretVariable, -ClientSecretFile.", problems);
        Assert.Contains("Give only one of -CertificatePasswordVariable, -CertificatePasswordFile.", problems);
        Assert.Contains("Give only one of -SensoClientSecretVariable, -SensoClientSecretFile.", problems);
    }

    [Theory]
    [InlineData(true, true, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    public void OneWayToSignInToSenso(bool thumbprint, bool certificatePath, bool clientSecret)
    {
        var request = SensoApi();
        request.CertificateThumbprint = thumbprint ? "ABCDEF" : null;
        request.CertificatePath = certificatePath ? "app.pfx" : null;
        request.SensoClientSecretVariable = clientSecret ? "SENSO_SECRET" : null;

        var problems = request.FindProblems();

        Assert.Contains("Give only one way for the module to sign in to Senso: -CertificateThumbprint, -CertificatePath, or -SensoClientSecretVariable/-SensoClientSecretFile.", problems);
    }

    [Fact]
    public void ACertificatePasswordNeedsACertificateFile()
    {
        var request = SensoApi();
        request.CertificateThumbprint = "ABCDEF";
        request.CertificatePasswordFile = "pfx.txt";

        Assert.Equal(new[] { "-CertificatePasswordVariable and -CertificatePasswordFile go with -CertificatePath (a PFX file)." }, request.FindProblems());
    }

    [Fact]
    public void TheRosterSecretIsRequired()
    {
        var request = Api();
        request.ClientSecretVariable = null;
        var bearer = Api("bearer");
        bearer.ClientSecretVariable = null;

        Assert.Equal(new[] { "Give -ClientSecretVariable NAME or -ClientSecretFile PATH: where the application's Secret is (never the secret itself)." }, request.FindProblems());
        Assert.Equal(new[] { "-AuthMethod bearer needs -ClientSecretVariable NAME or -ClientSecretFile PATH: where the token is (never the token itself)." }, bearer.FindProblems());
    }

    [Theory]
    [InlineData("oauth1")]
    [InlineData("oauth2")]
    public void OAuthNeedsAClientId(string authMethod)
    {
        var request = Api(authMethod);
        request.ClientId = null;

        Assert.Equal(new[] { $"-AuthMethod {authMethod} needs -ClientId: the application's Key on the Roster Server." }, request.FindProblems());
    }

    [Fact]
    public void BearerTakesNoClientId()
    {
        var request = Api("bearer");
        request.ClientId = "key";

        Assert.Equal(new[] { "-ClientId is not used with -AuthMethod bearer (the token identifies the application)." }, request.FindProblems());
    }

    [Fact]
    public void OAuth2NeedsATokenUrl()
    {
        var request = Api("oauth2");
        request.TokenUrl = null;

        Assert.Equal(new[] { "-AuthMethod oauth2 needs -TokenUrl: the server's OAuth 2 token endpoint." }, request.FindProblems());
    }

    [Theory]
    [InlineData("oauth1", true, false)]
    [InlineData("bearer", false, true)]
    public void TokenUrlAndScopeAreOnlyForOAuth2(string authMethod, bool tokenUrl, bool scope)
    {
        var request = Api(authMethod);
        request.TokenUrl = tokenUrl ? "https://district.oneroster.com/token" : null;
        request.Scope = scope ? Array.Empty<string>() : null;

        Assert.Equal(new[] { "-TokenUrl and -Scope apply only to -AuthMethod oauth2." }, request.FindProblems());
    }

    [Theory]
    [InlineData("oauth2")]
    [InlineData("bearer")]
    public void SignatureMethodIsOnlyForOAuth1(string authMethod)
    {
        var request = Api(authMethod);
        request.SignatureMethod = "HMAC-SHA1";

        Assert.Equal(new[] { "-SignatureMethod applies only to -AuthMethod oauth1." }, request.FindProblems());
    }

    [Fact]
    public void RosterAuthRulesDoNotApplyToACsvRoster()
    {
        var request = Csv();
        request.AuthMethod = "oauth2";

        Assert.Empty(request.FindProblems());
    }

    [Fact]
    public void ASecretGivenForAVariableNameIsNamedButNotShown()
    {
        const string secret = "q8Zt3kWmPx7vLr2NcYb5HdJf";
        var request = Api();
        request.ClientSecretVariable = secret;

        var problem = Assert.Single(request.FindProblems());

        Assert.StartsWith("-ClientSecretVariable takes the name of an environment variable", problem);
        Assert.DoesNotContain(secret, problem);
    }

    [Fact]
    public void AVariableThatIsSetIsAcceptedWhateverItsForm()
    {
        var request = Api();
        request.ClientSecretVariable = "Xk4Rb9TwQm2LpZ7vNc3HdJsY";

        Assert.Empty(request.FindProblems());
    }

    [Fact]
    public void ASecretGivenForAFilePathIsNamedButNotShown()
    {
        const string secret = "q8Zt3kWmPx7vLr2NcYb5HdJf";
        var request = SensoApi();
        request.SensoClientSecretFile = secret;

        var problem = Assert.Single(request.FindProblems());

        Assert.StartsWith("-SensoClientSecretFile takes the path of a file that holds the secret, not the secret", problem);
        Assert.DoesNotContain(secret, problem);
    }

    [Fact]
    public void AnExistingFileIsAcceptedWhateverItsName()
    {
        using var temp = new TempDirectory();
        const string name = "q8Zt3kWmPx7vLr2NcYb5HdJf";
        File.WriteAllText(temp.File(name), "secret");
        var request = SensoApi();
        request.ResolvePath = path => Path.Combine(temp.Path, path);
        request.SensoClientSecretFile = name;

        Assert.Empty(request.FindProblems());
    }

    [Fact]
    public void EveryProblemIsNamedInOneError()
    {
        var request = Api("bearer");
        request.ClientSecretVariable = null;
        request.SignatureMethod = "HMAC-SHA1";
        request.ClientId = "key";

        var error = Assert.Throws<InvalidParameterCombinationException>(() => request.ToDraft());

        Assert.Equal(3, error.Problems.Count);
        Assert.Equal(string.Join(" ", error.Problems), error.Message);
        Assert.IsAssignableFrom<ArgumentException>(error);
    }

    [Fact]
    public void MissingReferencesAreWarnedAbout()
    {
        using var temp = new TempDirectory();
        var request = Api();
        request.ClientSecretVariable = "CLASSLINK_SECRET_NOT_SET";
        request.SensoIsApi = true;
        request.SensoApiUrl = "https://senso.example";
        request.SensoAuthority = "https://login.microsoftonline.com/tenant";
        request.SensoClientId = "app";
        request.SensoClientSecretFile = temp.File("senso-secret.txt");

        var warnings = request.FindMissingReferences(request.ToDraft());

        Assert.Equal(new[]
        {
            "'classlink.api.auth.clientSecret' refers to the environment variable 'CLASSLINK_SECRET_NOT_SET', which is not set in this session; set it where the module runs (for a scheduled task, in the task's environment).",
            $"'senso.api.clientSecret' refers to the file '{temp.File("senso-secret.txt")}', which does not exist yet.",
        }, warnings);
    }

    [Fact]
    public void AMissingCsvExportIsWarnedAboutAndAnExistingOneIsNot()
    {
        using var temp = new TempDirectory();
        var request = Csv();
        request.ResolvePath = path => Path.Combine(temp.Path, path);

        Assert.Equal(new[] { $"The roster export '{temp.File("district")}' does not exist yet." }, request.FindMissingReferences(request.ToDraft()));
        Directory.CreateDirectory(temp.File("district"));
        Assert.Empty(request.FindMissingReferences(request.ToDraft()));
    }
}
