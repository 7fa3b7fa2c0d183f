using System;

namespace SensoClassLink.Core.Senso;

/// <summary>The one email normalizer: Senso usernames and group owners are compared trimmed and lower-cased (invariant).</summary>
public static class SensoEmail
{
    public static string Normalize(string email)
    {
        if (email is null)
        {
            throw new ArgumentNullException(nameof(email));
        }
        return email.Trim().ToLowerInvariant();
    }
}
