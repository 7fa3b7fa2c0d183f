using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Http;

namespace SensoClassLink.Core.OneRoster.Auth;

/// <summary>
/// Two-legged OAuth 1.0a as ClassLink signs: consumer key, signature method, timestamp and a
/// cryptographically random nonce; no token, no version. Call once per attempt: every call gets a fresh nonce.
/// </summary>
public sealed class OAuth1Signer
{
    private readonly string _consumerKey;
    private readonly string _consumerSecret;
    private readonly OAuth1SignatureMethod _method;
    private readonly TimeProvider _time;

    public OAuth1Signer(string consumerKey, string consumerSecret, OAuth1SignatureMethod method, TimeProvider? time = null)
    {
        _consumerKey = consumerKey;
        _consumerSecret = consumerSecret;
        _method = method;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// The Authorization header value for a request to <paramref name="uri"/> (its query is ignored) whose
    /// wire query is built from the same <paramref name="decodedQuery"/> list with <see cref="PercentEncoding"/>.
    /// </summary>
    public string CreateAuthorizationHeader(string httpMethod, Uri uri, IReadOnlyList<KeyValuePair<string, string>> decodedQuery)
    {
        string timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var oauth = new List<KeyValuePair<string, string>>
        {
            new("oauth_consumer_key", _consumerKey),
            new("oauth_nonce", NewNonce()),
            new("oauth_signature_method", OAuth1Signature.MethodName(_method)),
            new("oauth_timestamp", timestamp),
        };
        var all = new List<KeyValuePair<string, string>>(decodedQuery);
        all.AddRange(oauth);
        string signature = OAuth1Signature.Sign(OAuth1Signature.BaseString(httpMethod, uri, all), _consumerSecret, "", _method);
        oauth.Add(new("oauth_signature", signature));

        var header = new StringBuilder("OAuth ");
        for (int i = 0; i < oauth.Count; i++)
        {
            if (i > 0)
            {
                header.Append(", ");
            }
            header.Append(PercentEncoding.Encode(oauth[i].Key)).Append("=\"").Append(PercentEncoding.Encode(oauth[i].Value)).Append('"');
        }
        return header.ToString();
    }

    private static string NewNonce()
    {
        var bytes = new byte[16];
        using (var rng = RandomNumberGenerator.Create())
        {
            rng.GetBytes(bytes);
        }
        var builder = new StringBuilder(32);
        foreach (byte b in bytes)
        {
            builder.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
