using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Sqlite;
using Xunit;

namespace SensoClassLink.Core.Tests.Configuration;

public sealed class ConfigurationLoaderTests
{
    private const string BaseDirectory = "/deploy";

    private static SensoClassLinkConfiguration Load(string yaml) =>
        ConfigurationLoader.Load(new StringReader(yaml), "test.yml", BaseDirectory);

    private static ConfigurationException LoadFails(string yaml) =>
        Assert.Throws<ConfigurationException>(() => Load(yaml));

    [Fact]
    public void MinimalCsvConfigurationGetsDefaultsAndResolvesPathsAgainstTheFileFolder()
    {
        var config = Load("classlink:\n  csv:\n    path: ./district\n");

        Assert.Equal(RosterSourceKind.csv, config.ClassLink.Source);
        Assert.Equal(Path.GetFullPath("/deploy/district"), config.ClassLink.Csv.Path);
        Assert.Equal(SensoProviderKind.local, config.Senso.Provider);
        Assert.Equal(Path.GetFullPath("/deploy/senso-tenant.db"), config.Senso.Local.Path);
        Assert.Equal(Path.GetFullPath("/deploy/sensoclasslink-state.db"), config.State.Path);
        Assert.Equal(500, config.Import.MaxCreatesPerRun);
    }

    [Fact]
    public void TheDefaultPageSizeIsWhatTheRosterServerServes()
    {
        // Issue 13 item 7: pages of 10,000 (ClassLink's maximum) unless the configuration asks for fewer.
        var config = Load("classlink:\n  source: api\n  api:\n    baseUrl: https://district-vn-v2.oneroster.com\n    auth:\n      method: bearer\n      token: env:CLASSLINK_TOKEN\n");
        Assert.Equal(10_000, config.ClassLink.Api.PageSize);
        Assert.Equal(10_000, new RosterApiSettings().PageSize);
    }

    [Fact]
    public void FullApiConfigurationIsRead()
    {
        var config = Load("""
            classlink:
              source: api
              api:
                baseUrl: https://district-vn-v2.oneroster.com
                version: "1.2"
                auth:
                  method: oauth2
                  clientId: abc123
                  clientSecret: env:CLASSLINK_CLIENT_SECRET
                  tokenUrl: https://district-vn-v2.oneroster.com/token
                  scopes: [roster.readonly]
                pageSize: 500
                maxConcurrency: 2
            senso:
              provider: api
              api:
                baseUrl: https://tenant.example/api/v1
                authority: https://login.microsoftonline.com/contoso
                clientId: app-id
                scopes: [api://senso/.default]
                clientSecret: file:./senso.secret
            import:
              siteBySchool: { "Lincoln High": Main }
              maxCreatesPerRun: 50
            """);

        Assert.Equal(RosterSourceKind.api, config.ClassLink.Source);
        Assert.Equal(OneRosterVersion.V1_2, config.ClassLink.Api.Version);
        Assert.Equal(RosterAuthMethod.OAuth2, config.ClassLink.Api.Auth.Method);
        Assert.Equal("CLASSLINK_CLIENT_SECRET", config.ClassLink.Api.Auth.ClientSecret!.Target);
        Assert.Equal(new[] { "roster.readonly" }, config.ClassLink.Api.Auth.Scopes);
        Assert.Equal(500, config.ClassLink.Api.PageSize);
        Assert.Equal(SecretReferenceKind.File, config.Senso.Api.ClientSecret!.Kind);
        Assert.Equal(Path.GetFullPath("/deploy/senso.secret"), config.Senso.Api.ClientSecret.Target);
        Assert.Equal("Main", config.Import.SiteBySchool["lincoln high"]);
        Assert.Equal(50, config.Import.MaxCreatesPerRun);
    }

    [Fact]
    public void TheSuspensionBrakeDefaultsToFiftyAndIsReadAndChecked()
    {
        Assert.Equal(50, Load("classlink:\n  csv:\n    path: ./d\n").Import.MaxSuspensionsPerRun);
        Assert.Equal(5, Load("classlink:\n  csv:\n    path: ./d\nimport:\n  maxSuspensionsPerRun: 5\n").Import.MaxSuspensionsPerRun);
        var ex = LoadFails("classlink:\n  csv:\n    path: ./d\nimport:\n  maxSuspensionsPerRun: -1\n");
        Assert.Contains(ex.Problems, p => p.Key == "import.maxSuspensionsPerRun" && p.Line == 5);
    }

    [Fact]
    public void FieldSelectionIsOnByDefaultAndTakesOnlyTrueOrFalse()
    {
        const string Api = "classlink:\n  source: api\n  api:\n    baseUrl: https://district-vn-v2.oneroster.com\n    auth:\n      method: bearer\n      token: env:T\n";
        Assert.True(Load(Api).ClassLink.Api.FieldSelection);
        Assert.False(Load(Api + "    fieldSelection: false\n").ClassLink.Api.FieldSelection);
        Assert.True(Load(Api + "    fieldSelection: True\n").ClassLink.Api.FieldSelection);
        var ex = LoadFails(Api + "    fieldSelection: yes\n");
        Assert.Contains(ex.Problems, p => p.Key == "classlink.api.fieldSelection" && p.Line == 8 && p.Message.Contains("true or false"));
    }

    [Fact]
    public void SensoApiHttpLimitsAreReadAndDefaultLikeTheirClassLinkTwins()
    {
        const string Senso = "senso:\n  provider: api\n  api:\n    baseUrl: https://tenant.example/api\n    authority: https://login.example/t\n    clientId: app\n    clientSecret: env:S\n";
        var defaults = Load("classlink:\n  csv:\n    path: ./d\n" + Senso);
        Assert.Equal((defaults.ClassLink.Api.MaxConcurrency, defaults.ClassLink.Api.TimeoutSeconds, defaults.ClassLink.Api.MaxRetries),
            (defaults.Senso.Api.MaxConcurrency, defaults.Senso.Api.TimeoutSeconds, defaults.Senso.Api.MaxRetries));
        Assert.Equal((4, 60, 5), (defaults.Senso.Api.MaxConcurrency, defaults.Senso.Api.TimeoutSeconds, defaults.Senso.Api.MaxRetries));

        var tuned = Load("classlink:\n  csv:\n    path: ./d\n" + Senso + "    maxConcurrency: 12\n    timeoutSeconds: 30\n    maxRetries: 0\n");
        Assert.Equal((12, 30, 0), (tuned.Senso.Api.MaxConcurrency, tuned.Senso.Api.TimeoutSeconds, tuned.Senso.Api.MaxRetries));
    }

    [Theory]
    [InlineData("maxConcurrency: 0", "senso.api.maxConcurrency", "between 1 and 32")]
    [InlineData("maxConcurrency: 33", "senso.api.maxConcurrency", "between 1 and 32")]
    [InlineData("timeoutSeconds: 0", "senso.api.timeoutSeconds", "between 1 and 3600")]
    [InlineData("maxRetries: 21", "senso.api.maxRetries", "between 0 and 20")]
    [InlineData("maxRetries: some", "senso.api.maxRetries", "whole number")]
    public void SensoApiHttpLimitsOutOfRangeAreNamedWithTheirLine(string line, string key, string expected)
    {
        var ex = LoadFails("classlink:\n  csv:\n    path: ./d\nsenso:\n  api:\n    " + line + "\n");

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(key, problem.Key);
        Assert.Equal(6, problem.Line);
        Assert.Contains(expected, problem.Message);
    }

    [Fact]
    public void UnknownKeyIsNamedWithItsLineAndASuggestion()
    {
        var ex = LoadFails("classlink:\n  csv:\n    path: ./d\n  sorce: csv\n");

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("classlink.sorce", problem.Key);
        Assert.Equal(4, problem.Line);
        Assert.Contains("classlink.source", ex.Message);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var ex = LoadFails("classlink:\n  source: ftp\n  csv:\n    path: ./d\nimport:\n  maxCreatesPerRun: lots\nextra: 1\n");

        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Key == "classlink.source" && p.Line == 2);
        Assert.Contains(ex.Problems, p => p.Key == "import.maxCreatesPerRun" && p.Line == 6);
        Assert.Contains(ex.Problems, p => p.Key == "extra" && p.Line == 7);
    }

    [Fact]
    public void WrongTypesAreNamed()
    {
        var ex = LoadFails("classlink:\n  csv:\n    path: [a, b]\nsenso:\n  local:\n    roles: Teacher\n");

        Assert.Contains(ex.Problems, p => p.Key == "classlink.csv.path" && p.Message.Contains("single value"));
        Assert.Contains(ex.Problems, p => p.Key == "senso.local.roles" && p.Message.Contains("list"));
    }

    [Fact]
    public void MissingRequiredKeyIsNamed()
    {
        var ex = LoadFails("classlink:\n  source: csv\n");

        Assert.Contains(ex.Problems, p => p.Key == "classlink.csv.path" && p.Message.Contains("required"));
    }

    [Fact]
    public void LiteralSecretIsRefusedWithoutEchoingTheValue()
    {
        const string secret = "s3cr3t-Value-That-Must-Not-Leak";
        var ex = LoadFails($"classlink:\n  source: api\n  api:\n    baseUrl: https://x.example\n    auth:\n      clientId: a\n      clientSecret: {secret}\n");

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("classlink.api.auth.clientSecret", problem.Key);
        Assert.DoesNotContain(secret, ex.Message);
        Assert.DoesNotContain(secret, ex.ToString());
    }

    [Fact]
    public void InvalidYamlGivesLineAndColumn()
    {
        var ex = LoadFails("classlink:\n  csv:\n    path: \"unterminated\n");

        var problem = Assert.Single(ex.Problems);
        Assert.True(problem.Line >= 3, $"line was {problem.Line}");
        Assert.True(problem.Column > 0);
        Assert.Contains("not valid YAML", ex.Message);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.LoadFile("/no/such/dir/config.yml"));

        Assert.Contains("/no/such/dir/config.yml", ex.Message.Replace('\\', '/'));
    }

    [Theory]
    [InlineData("http://roster.example.com", "https://")]
    [InlineData("https://user:pw@roster.example.com", "user name")]
    public void UnsafeUrlsAreRefused(string url, string expected)
    {
        var ex = LoadFails($"classlink:\n  source: api\n  api:\n    baseUrl: {url}\n    auth:\n      method: bearer\n      token: env:T\n");

        Assert.Contains(ex.Problems, p => p.Key == "classlink.api.baseUrl" && p.Message.Contains(expected));
        Assert.DoesNotContain(":pw@", ex.Message);
    }

    [Fact]
    public void LoopbackHttpIsAllowedForTests()
    {
        var config = Load("classlink:\n  source: api\n  api:\n    baseUrl: http://127.0.0.1:5000\n    auth:\n      method: bearer\n      token: env:T\n");

        Assert.Equal("http://127.0.0.1:5000/", config.ClassLink.Api.BaseUrl!.ToString());
    }

    [Fact]
    public void SecretReferenceResolvesFromTheEnvironmentAndNamesTheVariableWhenUnset()
    {
        string variable = "SCL_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        var reference = SecretReference.FromEnvironment(variable, "classlink.api.auth.clientSecret");

        var ex = Assert.Throws<ConfigurationException>(() => reference.Resolve());
        Assert.Contains(variable, ex.Message);

        Environment.SetEnvironmentVariable(variable, "value-1");
        try
        {
            Assert.Equal("value-1", reference.Resolve());
            Assert.DoesNotContain("value-1", reference.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void JournalModesDefaultToWalAndDeleteIsChosenPerFile()
    {
        var defaults = Load("classlink:\n  csv:\n    path: ./d\n");
        Assert.Equal(SqliteJournalMode.Wal, defaults.State.JournalMode);
        Assert.Equal(SqliteJournalMode.Wal, defaults.Senso.Local.JournalMode);

        var chosen = Load("classlink:\n  csv:\n    path: ./d\nsenso:\n  local:\n    journalMode: delete\nstate:\n  journalMode: DELETE\n");
        Assert.Equal(SqliteJournalMode.Delete, chosen.State.JournalMode);
        Assert.Equal(SqliteJournalMode.Delete, chosen.Senso.Local.JournalMode);
    }

    [Fact]
    public void AnUnknownJournalModeIsNamedWithItsKeyAndLine()
    {
        var ex = LoadFails("classlink:\n  csv:\n    path: ./d\nsenso:\n  local:\n    journalMode: truncate\nstate:\n  journalMode: wall\n");

        Assert.Contains(ex.Problems, p => p.Key == "senso.local.journalMode" && p.Line == 6 && p.Message.Contains("wal, delete"));
        Assert.Contains(ex.Problems, p => p.Key == "state.journalMode" && p.Line == 8);
    }

    [Theory]
    [InlineData(@"\\fileserver\district\state.db")]
    [InlineData("//fileserver/district/state.db")]
    public void AShareStatePathIsKeptAsWrittenSoTheStoreCanRefuseIt(string share)
    {
        var config = Load($"classlink:\n  csv:\n    path: ./d\nstate:\n  path: '{share}'\nsenso:\n  local:\n    path: '{share}'\n");
        Assert.Equal(share, config.State.Path);
        Assert.Equal(share, config.Senso.Local.Path);
    }
}
