using System;

namespace SensoClassLink.Core.Http;

/// <summary>
/// The one rule for every outbound URL: https only (plain http only to loopback test servers),
/// never user info in the URL. Certificate validation is never turned off anywhere in the module.
/// </summary>
public static class EndpointRules
{
    public static void EnsureAllowed(Uri uri, string what)
    {
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException($"The {what} URL must be absolute.");
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ArgumentException($"The {what} URL must not contain a user name or password.");
        }
        bool https = uri.Scheme == Uri.UriSchemeHttps;
        bool loopbackHttp = uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;
        if (!https && !loopbackHttp)
        {
            throw new ArgumentException($"The {what} URL must use https:// (plain http:// is allowed only for loopback test servers): {uri.GetLeftPart(UriPartial.Authority)}");
        }
    }
}
