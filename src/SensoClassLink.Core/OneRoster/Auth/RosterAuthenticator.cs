using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Http;

namespace SensoClassLink.Core.OneRoster.Auth;

/// <summary>
/// Puts credentials on one OneRoster request attempt. Called for every attempt, so OAuth 1.0a
/// signatures are fresh and OAuth 2 tokens are renewed when due.
/// </summary>
public abstract class RosterAuthenticator
{
    /// <summary>Adds the Authorization header for a GET of <paramref name="uri"/> with the given decoded query.</summary>
    public abstract Task AuthorizeAsync(HttpRequestMessage request, Uri uri, IReadOnlyList<KeyValuePair<string, string>> decodedQuery, CancellationToken cancellationToken);

    /// <summary>Called once after a 401: drop cached credentials so the next attempt authenticates afresh.</summary>
    public virtual void Invalidate()
    {
    }

    /// <summary>A short, secret-free name for messages ("OAuth 1.0a (HMAC-SHA256)").</summary>
    public abstract string Name { get; }

    /// <summary>Creates the authenticator the configuration asks for, resolving its secrets now (errors name the key, never the value).</summary>
    public static RosterAuthenticator Create(RosterAuthSettings auth, ResilientHttpSender sender, TimeProvider? time = null)
    {
        switch (auth.Method)
        {
            case RosterAuthMethod.OAuth1:
                return new OAuth1Authenticator(new OAuth1Signer(Require(auth.ClientId, "classlink.api.auth.clientId"),
                    Require(auth.ClientSecret, "classlink.api.auth.clientSecret").Resolve(), auth.SignatureMethod, time), auth.SignatureMethod);
            case RosterAuthMethod.OAuth2:
                if (auth.TokenUrl is null)
                {
                    throw new ConfigurationException("classlink.api.auth.tokenUrl is required for oauth2.");
                }
                EndpointRules.EnsureAllowed(auth.TokenUrl, "OAuth 2 token");
                return new OAuth2ClientCredentialsAuthenticator(auth.TokenUrl, Require(auth.ClientId, "classlink.api.auth.clientId"),
                    Require(auth.ClientSecret, "classlink.api.auth.clientSecret").Resolve(), auth.Scopes, sender, time);
            default:
                return new BearerAuthenticator(Require(auth.Token, "classlink.api.auth.token"));
        }
    }

    private static T Require<T>(T? value, string key) where T : class =>
        value ?? throw new ConfigurationException($"{key} is required for this authentication method.");
}

/// <summary>Signs every attempt with two-legged OAuth 1.0a.</summary>
public sealed class OAuth1Authenticator : RosterAuthenticator
{
    private readonly OAuth1Signer _signer;
    private readonly OAuth1SignatureMethod _method;

    public OAuth1Authenticator(OAuth1Signer signer, OAuth1SignatureMethod method)
    {
        _signer = signer;
        _method = method;
    }

    public override string Name => $"OAuth 1.0a ({OAuth1Signature.MethodName(_method)})";

    public override Task AuthorizeAsync(HttpRequestMessage request, Uri uri, IReadOnlyList<KeyValuePair<string, string>> decodedQuery, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation("Authorization", _signer.CreateAuthorizationHeader(request.Method.Method, uri, decodedQuery));
        return Task.CompletedTask;
    }
}

/// <summary>A static bearer token (the ClassLink OneRoster proxy); re-read from its reference after a 401 in case it was rotated.</summary>
public sealed class BearerAuthenticator : RosterAuthenticator
{
    private readonly SecretReference _reference;
    private string? _token;

    public BearerAuthenticator(SecretReference reference)
    {
        _reference = reference;
        _token = reference.Resolve();
    }

    public override string Name => "bearer token";

    public override Task AuthorizeAsync(HttpRequestMessage request, Uri uri, IReadOnlyList<KeyValuePair<string, string>> decodedQuery, CancellationToken cancellationToken)
    {
        string token = Volatile.Read(ref _token) ?? _reference.Resolve();
        Volatile.Write(ref _token, token);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Task.CompletedTask;
    }

    public override void Invalidate() => Volatile.Write(ref _token, null);
}

/// <summary>
/// OAuth 2 client credentials (HTTP Basic client authentication, optional scopes). The token is shared by
/// concurrent page fetches, renewed shortly before it expires and once after a 401.
/// </summary>
public sealed class OAuth2ClientCredentialsAuthenticator : RosterAuthenticator
{
    private readonly Uri _tokenUrl;
    private readonly string _clientId;
    private readonly string _clientSecret;
    private readonly IReadOnlyList<string> _scopes;
    private readonly ResilientHttpSender _sender;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CachedToken? _token;

    public OAuth2ClientCredentialsAuthenticator(Uri tokenUrl, string clientId, string clientSecret, IReadOnlyList<string> scopes, ResilientHttpSender sender, TimeProvider? time = null)
    {
        _tokenUrl = tokenUrl;
        _clientId = clientId;
        _clientSecret = clientSecret;
        _scopes = scopes;
        _sender = sender;
        _time = time ?? TimeProvider.System;
    }

    public override string Name => "OAuth 2 client credentials";

    /// <summary>How many tokens were obtained (diagnostics and tests).</summary>
    public int TokensIssued => _tokensIssued;

    private int _tokensIssued;

    public override async Task AuthorizeAsync(HttpRequestMessage request, Uri uri, IReadOnlyList<KeyValuePair<string, string>> decodedQuery, CancellationToken cancellationToken)
    {
        string token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public override void Invalidate() => Volatile.Write(ref _token, null);

    private async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _token);
        if (current is not null && _time.GetUtcNow() < current.RenewAt)
        {
            return current.Value;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = Volatile.Read(ref _token);
            if (current is not null && _time.GetUtcNow() < current.RenewAt)
            {
                return current.Value;
            }
            current = await RequestTokenAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _token, current);
            Interlocked.Increment(ref _tokensIssued);
            return current.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CachedToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (_scopes.Count > 0)
        {
            form.Add(new("scope", string.Join(" ", _scopes)));
        }
        string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(PercentEncoding.Encode(_clientId) + ":" + PercentEncoding.Encode(_clientSecret)));
        DateTimeOffset requestedAt = _time.GetUtcNow();
        using HttpResponseMessage response = await _sender.SendAsync(_ => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, _tokenUrl)
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Basic", basic) },
            Content = new StringContent(PercentEncoding.EncodeQuery(form), Encoding.ASCII, "application/x-www-form-urlencoded"),
        }), cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            int status = (int)response.StatusCode;
            throw new RosterAuthenticationException(status >= 500 || status == 429
                ? $"The OAuth 2 token endpoint {_tokenUrl.GetLeftPart(UriPartial.Path)} failed with HTTP {status} through every retry; run again later."
                : $"The OAuth 2 token endpoint {_tokenUrl.GetLeftPart(UriPartial.Path)} refused the client credentials (HTTP {status}{OAuthError(body)}).",
                status);
        }
        JObject json;
        try
        {
            json = JObject.Parse(body);
        }
        catch (Newtonsoft.Json.JsonException)
        {
            throw new RosterAuthenticationException($"The OAuth 2 token endpoint {_tokenUrl.GetLeftPart(UriPartial.Path)} answered with something that is not a JSON token response.", (int)response.StatusCode);
        }
        string? accessToken = (string?)json["access_token"];
        if (string.IsNullOrEmpty(accessToken))
        {
            throw new RosterAuthenticationException($"The OAuth 2 token endpoint {_tokenUrl.GetLeftPart(UriPartial.Path)} answered without an access_token.", (int)response.StatusCode);
        }
        double lifetime = json["expires_in"] is { } e && double.TryParse(e.ToString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 3600;
        // Renew a little before expiry (10 % of the lifetime, at most a minute) so no request carries a token that dies in flight.
        double margin = Math.Min(60, lifetime * 0.1);
        return new CachedToken(accessToken!, requestedAt.AddSeconds(lifetime - margin));
    }

    private static string OAuthError(string body)
    {
        try
        {
            var json = JObject.Parse(body);
            string? error = (string?)json["error"];
            // RFC 6749 error codes are short ASCII words; anything else is not echoed.
            return error is { Length: > 0 and <= 64 } && System.Linq.Enumerable.All(error, c => (c >= 'a' && c <= 'z') || c == '_') ? ": " + error : "";
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return "";
        }
    }

    private sealed class CachedToken
    {
        public CachedToken(string value, DateTimeOffset renewAt)
        {
            Value = value;
            RenewAt = renewAt;
        }

        public string Value { get; }
        public DateTimeOffset RenewAt { get; }
    }
}

/// <summary>
/// Authentication or authorisation failed (401 after one re-authentication, 403, or a refused token request):
/// the credentials, the app's permissions or the clock are wrong. Carries the HTTP status. A
/// <see cref="RosterReadException"/>, so commands that stop on unreadable rosters stop on this too.
/// </summary>
public sealed class RosterAuthenticationException : RosterReadException
{
    public RosterAuthenticationException(string message, int httpStatus)
        : base(message)
    {
        HttpStatus = httpStatus;
    }

    public int HttpStatus { get; }
}
