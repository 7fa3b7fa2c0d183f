using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Http;

namespace SensoClassLink.Core.OneRoster.Auth;

/// <summary>
/// Pure RFC 5849 section 3.4 signing: the signature base string from decoded parameters and the HMAC
/// over it. No clock, no randomness, no I/O, so it is pinned to the published test vectors.
/// </summary>
public static class OAuth1Signature
{
    /// <summary>The base string URI (section 3.4.1.2): scheme and host lower-cased, default port dropped, path as sent, no query.</summary>
    public static string BaseStringUri(Uri uri)
    {
        var builder = new StringBuilder();
        builder.Append(uri.Scheme.ToLowerInvariant()).Append("://").Append(uri.Host.ToLowerInvariant());
        if (!uri.IsDefaultPort)
        {
            builder.Append(':').Append(uri.Port.ToString(CultureInfo.InvariantCulture));
        }
        builder.Append(uri.AbsolutePath);
        return builder.ToString();
    }

    /// <summary>Normalised parameters (section 3.4.1.3.2): encoded, sorted by name then value in byte order, joined.</summary>
    public static string NormalizeParameters(IEnumerable<KeyValuePair<string, string>> decodedParameters)
    {
        var encoded = decodedParameters
            .Select(p => (Name: PercentEncoding.Encode(p.Key), Value: PercentEncoding.Encode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join("&", encoded.Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>The signature base string (section 3.4.1.1). Parameters are the decoded query values plus the oauth_* protocol parameters, without oauth_signature.</summary>
    public static string BaseString(string httpMethod, Uri uri, IEnumerable<KeyValuePair<string, string>> decodedParameters) =>
        httpMethod.ToUpperInvariant() + "&" + PercentEncoding.Encode(BaseStringUri(uri)) + "&" + PercentEncoding.Encode(NormalizeParameters(decodedParameters));

    /// <summary>HMAC over the base string with key encode(consumerSecret) &amp; encode(tokenSecret), Base64.</summary>
    public static string Sign(string baseString, string consumerSecret, string tokenSecret, OAuth1SignatureMethod method)
    {
        byte[] key = Encoding.UTF8.GetBytes(PercentEncoding.Encode(consumerSecret) + "&" + PercentEncoding.Encode(tokenSecret));
        using HMAC hmac = method == OAuth1SignatureMethod.HmacSha1 ? new HMACSHA1(key) : new HMACSHA256(key);
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(baseString)));
    }

    /// <summary>The wire name of a signature method.</summary>
    public static string MethodName(OAuth1SignatureMethod method) => method == OAuth1SignatureMethod.HmacSha1 ? "HMAC-SHA1" : "HMAC-SHA256";

    /// <summary>Parses an <c>OAuth k="v", ...</c> header value into decoded parameters (realm included; callers drop it).</summary>
    public static Dictionary<string, string> ParseAuthorizationHeader(string headerValue)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string value = headerValue.Trim();
        if (!value.StartsWith("OAuth ", StringComparison.OrdinalIgnoreCase))
        {
            return result;
        }
        foreach (string part in value.Substring(6).Split(','))
        {
            string item = part.Trim();
            int eq = item.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }
            string name = Uri.UnescapeDataString(item.Substring(0, eq).Trim());
            string raw = item.Substring(eq + 1).Trim();
            if (raw.Length >= 2 && raw[0] == '"' && raw[raw.Length - 1] == '"')
            {
                raw = raw.Substring(1, raw.Length - 2);
            }
            result[name] = Uri.UnescapeDataString(raw);
        }
        return result;
    }
}
