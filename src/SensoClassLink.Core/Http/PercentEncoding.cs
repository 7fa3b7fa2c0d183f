using System;
using System.Collections.Generic;
using System.Text;

namespace SensoClassLink.Core.Http;

/// <summary>
/// The one RFC 3986 percent-encoder of the codebase (also RFC 5849 section 3.6): UTF-8, only
/// <c>A-Z a-z 0-9 - . _ ~</c> left as is, upper-case hex, space as <c>%20</c>. Used for query strings,
/// path segments and OAuth 1.0a signature base strings alike, so the wire and the signature never disagree.
/// </summary>
public static class PercentEncoding
{
    private const string Hex = "0123456789ABCDEF";

    public static string Encode(string value)
    {
        if (value.Length == 0)
        {
            return value;
        }
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3 / 2);
        foreach (byte b in bytes)
        {
            if (IsUnreserved(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }
        }
        return builder.ToString();
    }

    /// <summary>Builds a query string (no leading '?') from decoded name/value pairs, in the given order.</summary>
    public static string EncodeQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var builder = new StringBuilder();
        foreach (var pair in parameters)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }
            builder.Append(Encode(pair.Key)).Append('=').Append(Encode(pair.Value));
        }
        return builder.ToString();
    }

    /// <summary>
    /// Decodes a raw query string as application/x-www-form-urlencoded ('+' is a space), keeping order and
    /// duplicates; a name without '=' gets an empty value (RFC 5849 section 3.4.1.3.1).
    /// </summary>
    public static List<KeyValuePair<string, string>> DecodeQuery(string? rawQuery)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(rawQuery))
        {
            return result;
        }
        string query = rawQuery![0] == '?' ? rawQuery.Substring(1) : rawQuery;
        foreach (string part in query.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }
            int eq = part.IndexOf('=');
            string name = eq < 0 ? part : part.Substring(0, eq);
            string value = eq < 0 ? "" : part.Substring(eq + 1);
            result.Add(new KeyValuePair<string, string>(FormDecode(name), FormDecode(value)));
        }
        return result;
    }

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static bool IsUnreserved(byte b) =>
        (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '.' || b == '_' || b == '~';
}
