using System.Threading;
using System.Threading.Tasks;

namespace SensoClassLink.Core.Senso.Api;

/// <summary>Bearer tokens for the Senso API. Implementations keep MSAL's own cache; callers never store the token.</summary>
public interface ISensoTokenSource
{
    /// <summary>How tokens are obtained, safe to show ("client credentials (certificate) for app 1234...").</summary>
    string Description { get; }

    /// <summary>A valid access token; <paramref name="forceRefresh"/> bypasses the cache (after a 401).</summary>
    Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}
