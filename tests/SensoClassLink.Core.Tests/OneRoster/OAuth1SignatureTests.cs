using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Http;
using SensoClassLink.Core.OneRoster.Auth;
using Xunit;

namespace SensoClassLink.Core.Tests.OneRoster;

public sealed class OAuth1SignatureTests
{
    private static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    [Fact]
    public void Rfc5849Section12ProtectedResourceVector()
    {
        var parameters = new[]
        {
            P("file", "vacation.jpg"), P("size", "original"),
            P("oauth_consumer_key", "dpf43f3p2l4k3l03"), P("oauth_token", "nnch734d00sl2jdk"),
            P("oauth_signature_method", "HMAC-SHA1"), P("oauth_timestamp", "137131202"), P("oauth_nonce", "chapoH"),
        };
        string baseString = OAuth1Signature.BaseString("GET", new Uri("http://photos.example.net/photos?file=vacation.jpg&size=original"), parameters);

        Assert.Equal("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal", baseString);
        Assert.Equal("MdpQcU8iPSUjWoN/UDMsK2sui9I=", OAuth1Signature.Sign(baseString, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00", OAuth1SignatureMethod.HmacSha1));
    }

    [Fact]
    public void Rfc5849Section12TemporaryCredentialsVectorWithEmptyTokenSecret()
    {
        var parameters = new[]
        {
            P("oauth_callback", "http://printer.example.com/ready"), P("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            P("oauth_signature_method", "HMAC-SHA1"), P("oauth_timestamp", "137131200"), P("oauth_nonce", "wIjqoS"),
        };
        string baseString = OAuth1Signature.BaseString("post", new Uri("https://photos.example.net/initiate"), parameters);

        Assert.StartsWith("POST&https%3A%2F%2Fphotos.example.net%2Finitiate&oauth_callback%3Dhttp%253A%252F%252Fprinter.example.com%252Fready", baseString);
        Assert.Equal("74KNZJeDHnMBp0EMJ9ZHt/XKycU=", OAuth1Signature.Sign(baseString, "kd94hf93k423kf44", "", OAuth1SignatureMethod.HmacSha1));
    }

    [Fact]
    public void OAuthCore10AppendixA5Vector()
    {
        var parameters = new[]
        {
            P("file", "vacation.jpg"), P("size", "original"), P("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            P("oauth_token", "nnch734d00sl2jdk"), P("oauth_signature_method", "HMAC-SHA1"),
            P("oauth_timestamp", "1191242096"), P("oauth_nonce", "kllo9940pd9333jh"), P("oauth_version", "1.0"),
        };
        string baseString = OAuth1Signature.BaseString("GET", new Uri("http://photos.example.net/photos"), parameters);

        Assert.Equal("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal", baseString);
        Assert.Equal("tR3+Ty81lMeYAr/Fid0kMTYa/WM=", OAuth1Signature.Sign(baseString, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00", OAuth1SignatureMethod.HmacSha1));
    }

    [Fact]
    public void Rfc5849Section341BaseStringExampleFromTheRawQueryAndBody()
    {
        // Query and form body decoded as the RFC says ('+' is a space), then normalised.
        var parameters = PercentEncoding.DecodeQuery("b5=%3D%253D&a3=a&c%40=&a2=r%20b");
        parameters.AddRange(PercentEncoding.DecodeQuery("c2&a3=2+q"));
        parameters.AddRange(new[]
        {
            P("oauth_consumer_key", "9djdj82h48djs9d2"), P("oauth_token", "kkk9d7dh3k39sjv7"),
            P("oauth_signature_method", "HMAC-SHA1"), P("oauth_timestamp", "137131201"), P("oauth_nonce", "7d8f3e4a"),
        });

        Assert.Equal("a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7",
            OAuth1Signature.NormalizeParameters(parameters));
        Assert.Equal("POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7",
            OAuth1Signature.BaseString("POST", new Uri("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"), parameters));
    }

    [Theory]
    [InlineData("HTTP://Example.COM:80/r%20v/X?id=123", "http://example.com/r%20v/X")]
    [InlineData("https://www.example.net:8080/?q=1", "https://www.example.net:8080/")]
    [InlineData("https://Host.example:443/ims/oneroster/v1p1/users", "https://host.example/ims/oneroster/v1p1/users")]
    public void BaseStringUriLowerCasesSchemeAndHostAndDropsDefaultPortsAndQuery(string input, string expected) =>
        Assert.Equal(expected, OAuth1Signature.BaseStringUri(new Uri(input)));

    [Fact]
    public void HmacSha256UsesTheSameConstruction() =>
        Assert.Equal("Tp6gtfOx2bNZeJ2UUOeg9hvSzdsLa5QJoUwc/LeRFRA=", OAuth1Signature.Sign(
            "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521",
            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE", OAuth1SignatureMethod.HmacSha256));

    [Fact]
    public void SignerHeaderCarriesClassLinkParametersAndVerifiesAgainstTheWireQuery()
    {
        var time = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var signer = new OAuth1Signer("key with space", "s3cr&t", OAuth1SignatureMethod.HmacSha256, time);
        var query = new[] { P("filter", "givenName='Colin Robert'"), P("limit", "10") };
        var uri = new Uri("https://Roster.Example.org/ims/oneroster/v1p1/users?" + PercentEncoding.EncodeQuery(query));

        string header = signer.CreateAuthorizationHeader("GET", uri, query);
        var fields = OAuth1Signature.ParseAuthorizationHeader(header);

        Assert.Equal(new[] { "oauth_consumer_key", "oauth_nonce", "oauth_signature", "oauth_signature_method", "oauth_timestamp" }, fields.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal("key with space", fields["oauth_consumer_key"]);
        Assert.Equal("HMAC-SHA256", fields["oauth_signature_method"]);
        Assert.Equal("1700000000", fields["oauth_timestamp"]);
        Assert.Matches("^[0-9a-f]{32}$", fields["oauth_nonce"]);
        Assert.Contains("oauth_consumer_key=\"key%20with%20space\"", header);
        Assert.Contains("filter=givenName%3D%27Colin%20Robert%27", uri.AbsoluteUri);

        // Verify the way a server does: from the wire query, decoded independently.
        var check = PercentEncoding.DecodeQuery(uri.Query);
        check.AddRange(fields.Where(f => f.Key != "oauth_signature"));
        string expected = OAuth1Signature.Sign(OAuth1Signature.BaseString("GET", uri, check), "s3cr&t", "", OAuth1SignatureMethod.HmacSha256);
        Assert.Equal(expected, fields["oauth_signature"]);
    }

    [Fact]
    public void AFieldSelectionsCommasAreEncodedOnTheWireAndEncodedAgainInTheBaseString()
    {
        // The binding: the comma may travel raw or as %2C, and the base string signs the decoded value re-encoded (%252C).
        var query = new[] { P("limit", "10"), P("fields", "sourcedId,givenName") };
        var uri = new Uri("https://roster.example.org/ims/oneroster/v1p1/users?" + PercentEncoding.EncodeQuery(query));
        Assert.Contains("fields=sourcedId%2CgivenName", uri.AbsoluteUri);
        string baseString = OAuth1Signature.BaseString("GET", uri, query);
        Assert.Contains("fields%3DsourcedId%252CgivenName", baseString);
        // A verifier that decodes the wire query gets the same base string.
        Assert.Equal(baseString, OAuth1Signature.BaseString("GET", uri, PercentEncoding.DecodeQuery(uri.Query)));
    }

    [Fact]
    public void EverySignatureGetsAFreshNonce()
    {
        var signer = new OAuth1Signer("k", "s", OAuth1SignatureMethod.HmacSha1);
        var uri = new Uri("https://h.example/x");
        var nonces = Enumerable.Range(0, 200).Select(_ => OAuth1Signature.ParseAuthorizationHeader(signer.CreateAuthorizationHeader("GET", uri, Array.Empty<KeyValuePair<string, string>>()))["oauth_nonce"]).ToList();
        Assert.Equal(nonces.Count, nonces.Distinct().Count());
    }

    internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
