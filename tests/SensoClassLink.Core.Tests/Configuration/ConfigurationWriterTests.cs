using SensoClassLink.Core.Configuration;
using Xunit;

namespace SensoClassLink.Core.Tests.Configuration;

public sealed class ConfigurationWriterTests
{
    // Values a path, id or URL may hold that plain YAML would misread: quotes, backslashes, colons, comment marks,
    // YAML words and indicators, whitespace at the ends, control characters and Unicode (accents, CJK, emoji).
    public static TheoryData<string> OddValues => new()
    {
        "say \"hi\"",
        "it's",
        @"C:\Users\Jane Doe\district",
        "key: value",
        "value # not a comment",
        "#leading-hash",
        "null",
        "yes",
        "~",
        "123",
        "  leading and trailing  ",
        "- dash",
        "[bracket], {brace}",
        "&anchor *alias !tag %percent @at `tick | pipe > gt",
        "tab\there",
        "line\nbreak",
        "Zoë Ñandú 学校 🙂",
        "separator\u2028here\u0085and\u00a0nbsp",
    };

    private static ConfigurationDraft CsvDraft(string csvPath) => new() { RosterSource = RosterSourceKind.csv, CsvPath = csvPath };

    private static ConfigurationDraft ApiDraft(string clientId, SecretReference secret) => new()
    {
        RosterSource = RosterSourceKind.api,
        RosterApiUrl = "https://district-vn-v2.oneroster.com",
        AuthMethod = RosterAuthMethod.OAuth1,
        ClientId = clientId,
        ClientSecret = secret,
    };

    [Fact]
    public void WrittenCsvConfigurationLoadsWithDefaultsNextToTheFile()
    {
        using var temp = new TempDirectory();
        string path = temp.File("config.yml");

        var written = ConfigurationWriter.Write(CsvDraft("./district"), path, overwrite: false);
        var loaded = ConfigurationLoader.LoadFile(path);

        Assert.Equal(RosterSourceKind.csv, loaded.ClassLink.Source);
        Assert.Equal(temp.File("district"), loaded.ClassLink.Csv.Path);
        Assert.Equal(SensoProviderKind.local, loaded.Senso.Provider);
        Assert.Equal(temp.File("senso-tenant.db"), loaded.Senso.Local.Path);
        Assert.Equal(temp.File("sensoclasslink-state.db"), loaded.State.Path);
        Assert.Equal(path, written.SourceFile);
        Assert.Equal(loaded.ClassLink.Csv.Path, written.ClassLink.Csv.Path);
    }

    [Fact]
    public void TheWrittenFileShowsTheRosterSectionWithItsDefaults()
    {
        using var temp = new TempDirectory();
        string path = temp.File("config.yml");

        ConfigurationWriter.Write(CsvDraft("./district"), path, overwrite: false);
        var roster = ConfigurationLoader.LoadFile(path).Roster;

        Assert.Contains("roster:\n  # current:", File.ReadAllText(path).Replace("\r\n", "\n"));
        Assert.Equal((SensoClassLink.Core.Eligibility.ClassTermRule.Current, 0, 0), (roster.ClassTerms, roster.Schools.Count, roster.ExcludeClasses.Count));
    }

    [Fact]
    public void EveryKeyHasACommentAbove()
    {
        string text = ConfigurationWriter.Render(ApiDraft("abc", SecretReference.FromEnvironment("CLASSLINK_SECRET", "k")));
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.EndsWith(':'))
            {
                continue; // comments, blank lines and mapping headers
            }
            // A key with a value: a comment is directly above it, or above the key it follows in the same group.
            int j = i - 1;
            while (j >= 0 && !lines[j].Trim().StartsWith('#') && !lines[j].Trim().EndsWith(':'))
            {
                j--;
            }
            Assert.True(j >= 0 && lines[j].Trim().StartsWith('#'), $"line {i + 1} ('{line}') has no comment above it");
        }
        Assert.Contains("# Secrets are never stored here", text);
        Assert.Contains("clientSecret: \"env:CLASSLINK_SECRET\"", text);
    }

    [Theory]
    [MemberData(nameof(OddValues))]
    public void OddClientIdsReadBackExactly(string value)
    {
        using var temp = new TempDirectory();
        string path = temp.File("config.yml");

        ConfigurationWriter.Write(ApiDraft(value, SecretReference.FromEnvironment("X", "k")), path, overwrite: false);

        Assert.Equal(value, ConfigurationLoader.LoadFile(path).ClassLink.Api.Auth.ClientId);
    }

    [Theory]
    [MemberData(nameof(OddValues))]
    public void OddPathsReadBackExactly(string value)
    {
        using var temp = new TempDirectory();
        string path = temp.File("config.yml");
        string odd = Path.Combine(temp.Path, "x" + value.Replace("\n", "") + "x");
        string secretFile = Path.Combine(temp.Path, "s" + value.Replace("\n", "") + ".txt");
        var draft = CsvDraft(odd);
        draft.StatePath = odd + ".state";
        draft.LocalTenantPath = odd + ".tenant";

        ConfigurationWriter.Write(draft, path, overwrite: false);
        var loaded = ConfigurationLoader.LoadFile(path);
        ConfigurationWriter.Write(ApiDraft("id", SecretReference.FromFile(secretFile, "k")), path, overwrite: true);
        var api = ConfigurationLoader.LoadFile(path);

        Assert.Equal(Path.GetFullPath(odd), loaded.ClassLink.Csv.Path);
        Assert.Equal(Path.GetFullPath(odd + ".state"), loaded.State.Path);
        Assert.Equal(Path.GetFullPath(odd + ".tenant"), loaded.Senso.Local.Path);
        Assert.Equal(Path.GetFullPath(secretFile), api.ClassLink.Api.Auth.ClientSecret!.Target);
        Assert.Equal(SecretReferenceKind.File, api.ClassLink.Api.Auth.ClientSecret.Kind);
    }

    [Fact]
    public void QuotedScalarsEscapeWhatYamlWouldMisread()
    {
        Assert.Equal("\"a\\\"b\"", YamlScalar.Quote("a\"b"));
        Assert.Equal("\"C:\\\\x\"", YamlScalar.Quote(@"C:\x"));
        Assert.Equal("\"a: b # c\"", YamlScalar.Quote("a: b # c"));
        Assert.Equal("\"l\\u2028s\"", YamlScalar.Quote("l\u2028s"));
        Assert.Equal("\"学校 🙂\"", YamlScalar.Quote("学校 🙂"));
        Assert.Equal("[\"Teacher\", \"x, y\"]", YamlScalar.QuoteList(new[] { "Teacher", "x, y" }));
        Assert.Throws<ArgumentException>(() => YamlScalar.Quote("bad\uD800"));
    }

    [Fact]
    public void ApiConfigurationWithEverySettingLoads()
    {
        using var temp = new TempDirectory();
        string path = temp.File("config.yml");
        var draft = new ConfigurationDraft
        {
            RosterSource = RosterSourceKind.api,
            RosterApiUrl = "https://district-vn-v2.rosterserver.com/ims/oneroster/v1p1",
            Version = OneRosterVersion.V1_2,
            AuthMethod = RosterAuthMethod.OAuth2,
            ClientId = "client-1",
            ClientSecret = SecretReference.FromFile(temp.File("secret"), "k"),
            TokenUrl = "https://district-vn-v2.rosterserver.com/token",
            Scopes = new[] { "https://purl.imsglobal.org/spec/or/v1p1/scope/roster.readonly" },
            SensoProvider = SensoProviderKind.api,
            SensoApiUrl = "https://senso.example/api/v1",
            SensoAuthority = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001",
            SensoClientId = "11111111-2222-3333-4444-555555555555",
            SensoScopes = new[] { "api://senso/.default" },
            CertificatePath = temp.File("app.pfx"),
            CertificatePassword = SecretReference.FromEnvironment("SENSO_PFX_PASSWORD", "k"),
            StatePath = temp.File("state.db"),
        };

        ConfigurationWriter.Write(draft, path, overwrite: false);
        var config = ConfigurationLoader.LoadFile(path);

        Assert.Equal(OneRosterVersion.V1_2, config.ClassLink.Api.Version);
        Assert.Equal(RosterAuthMethod.OAuth2, config.ClassLink.Api.Auth.Method);
        Assert.Equal(new Uri("https://district-vn-v2.rosterserver.com/token"), config.ClassLink.Api.Auth.TokenUrl);
        Assert.Equal(draft.Scopes, config.ClassLink.Api.Auth.Scopes);
        Assert.Equal(SensoProviderKind.api, config.Senso.Provider);
        Assert.Equal(temp.File("app.pfx"), config.Senso.Api.CertificatePath);
        Assert.Equal("env:SENSO_PFX_PASSWORD", config.Senso.Api.CertificatePassword!.ToString());
        Assert.Equal(new[] { "api://senso/.default" }, config.Senso.Api.Scopes);
        Assert.Equal(temp.File("state.db"), config.State.Path);
    }

    [Fact]
    public void BearerWritesTheTokenReferenceAndHmacSha1IsKept()
    {
        var bearer = ConfigurationWriter.Check(new ConfigurationDraft
        {
            RosterSource = RosterSourceKind.api,
            RosterApiUrl = "https://oneroster-proxy.classlink.io/app-1",
            AuthMethod = RosterAuthMethod.Bearer,
            ClientSecret = SecretReference.FromEnvironment("CLASSLINK_TOKEN", "k"),
        }, "/deploy/config.yml");
        var sha1Draft = ApiDraft("key", SecretReference.FromEnvironment("S", "k"));
        sha1Draft.SignatureMethod = OAuth1SignatureMethod.HmacSha1;
        var sha1 = ConfigurationWriter.Check(sha1Draft, "/deploy/config.yml");

        Assert.Equal("env:CLASSLINK_TOKEN", bearer.ClassLink.Api.Auth.Token!.ToString());
        Assert.Equal(OAuth1SignatureMethod.HmacSha1, sha1.ClassLink.Api.Auth.SignatureMethod);
    }

    [Fact]
    public void RefusesToReplaceAnExistingFileUnlessAsked()
    {
        using var temp = new TempDirectory();
        string path = temp.File("config.yml");
        File.WriteAllText(path, "keep me\n");

        var refused = Assert.Throws<ConfigurationFileExistsException>(() => ConfigurationWriter.Write(CsvDraft("./d"), path, overwrite: false));
        Assert.Equal("keep me\n", File.ReadAllText(path));
        Assert.Contains(path, refused.Message);

        ConfigurationWriter.Write(CsvDraft("./d"), path, overwrite: true);
        Assert.Equal(temp.File("d"), ConfigurationLoader.LoadFile(path).ClassLink.Csv.Path);
        Assert.Single(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void AnInvalidDraftLeavesNothingOnDisk()
    {
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "new", "folder", "config.yml");
        var draft = ApiDraft("abc", SecretReference.FromEnvironment("S", "k"));
        draft.RosterApiUrl = "http://roster.example.com"; // plain http is refused off loopback
        draft.ClientId = null;

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationWriter.Write(draft, path, overwrite: false));

        Assert.Contains(error.Problems, p => p.Key == "classlink.api.baseUrl");
        Assert.Contains(error.Problems, p => p.Key == "classlink.api.auth.clientId" && p.Message.Contains("required"));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void CreatesMissingFoldersAndLeavesNoTemporaryFile()
    {
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "SensoClassLink", "config.yml");

        ConfigurationWriter.Write(CsvDraft("./d"), path, overwrite: false);

        Assert.Equal(new[] { path }, Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
    }

    [Fact]
    public void MoreThanOneSensoCredentialIsRefusedByTheLoader()
    {
        var draft = CsvDraft("./d");
        draft.SensoProvider = SensoProviderKind.api;
        draft.SensoApiUrl = "https://senso.example/api";
        draft.SensoAuthority = "https://login.microsoftonline.com/t";
        draft.SensoClientId = "app";
        draft.CertificateThumbprint = "ABCDEF";
        draft.SensoClientSecret = SecretReference.FromEnvironment("SENSO_SECRET", "k");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationWriter.Check(draft, "/deploy/config.yml"));

        Assert.Contains("give only one of", error.Message);
    }
}

public sealed class SecretValueGuardTests
{
    [Theory]
    [InlineData("CLASSLINK_CLIENT_SECRET", false, true)]
    [InlineData("ROSTER_SECRET", false, true)]
    [InlineData("ProgramFiles(x86)", true, true)]        // a set variable is a name, whatever its form
    [InlineData("pester-consumer-secret/+&", false, false)] // what $env:SECRET expands to
    [InlineData("b008b35ac38bccb56a910e2323f66049", false, false)] // a generated key: long, no '_'
    [InlineData("b008b35ac38bccb56a910e2323f66049", true, true)]
    [InlineData("1SECRET", false, false)]
    [InlineData("has space", false, false)]
    public void VariableNamesAreToldFromValues(string given, bool isSet, bool plausible) =>
        Assert.Equal(plausible, SecretValueGuard.IsPlausibleVariableName(given, isSet));

    [Theory]
    [InlineData("/etc/sensoclasslink/classlink.secret", false, true)]
    [InlineData(@"C:\ProgramData\SensoClassLink\secret.txt", false, true)]
    [InlineData("secret.txt", false, true)]
    [InlineData("Zx9kQ2mW7pLr4TnB8vYc", false, false)]
    [InlineData("Zx9kQ2mW7pLr4TnB8vYc", true, true)]
    public void FilePathsAreToldFromValues(string given, bool exists, bool plausible) =>
        Assert.Equal(plausible, SecretValueGuard.IsPlausibleFilePath(given, exists));
}

public sealed class MissingConfigurationTests
{
    [Fact]
    public void AMissingFileNamesTheCommandThatWritesOne()
    {
        using var temp = new TempDirectory();
        string path = temp.File("none.yml");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.LoadFile(path));

        Assert.Contains($"'{path}' does not exist", error.Message);
        Assert.Contains("New-SensoClassLinkConfiguration", error.Message);
        Assert.StartsWith($"Run New-SensoClassLinkConfiguration -Path '{path}'", error.RecommendedAction);
    }

    [Fact]
    public void AnInvalidFileHasNoSingleRecommendedAction()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new StringReader("classlink: [\n"), "x.yml", "/deploy"));

        Assert.Null(error.RecommendedAction);
    }
}
