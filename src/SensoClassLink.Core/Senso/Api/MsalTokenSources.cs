using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using SensoClassLink.Core.Configuration;

namespace SensoClassLink.Core.Senso.Api;

/// <summary>
/// App-only tokens from Microsoft Entra ID: one confidential client application per connection, signed in with a
/// certificate (store thumbprint or PFX file) or a client secret; MSAL's cache answers repeat calls.
/// The cache belongs to this instance (no shared cache is configured), so disposing it ends the tokens' life in memory.
/// </summary>
public sealed class MsalClientCredentialTokenSource : ISensoTokenSource, IDisposable
{
    private readonly IConfidentialClientApplication _application;
    private bool _disposed;
    private readonly string[] _scopes;

    public MsalClientCredentialTokenSource(IConfidentialClientApplication application, IEnumerable<string> scopes, string description)
    {
        _application = application;
        _scopes = scopes.ToArray();
        Description = description;
    }

    public string Description { get; }

    /// <summary>
    /// Builds the client from <c>senso.api</c>: certificate thumbprint (CurrentUser\My, then LocalMachine\My), else PFX file
    /// with its password reference, else client secret reference. <paramref name="httpClientFactory"/> is for tests only.
    /// </summary>
    public static MsalClientCredentialTokenSource Create(SensoApiSettings settings, IMsalHttpClientFactory? httpClientFactory = null)
    {
        var builder = ConfidentialClientApplicationBuilder.Create(Require(settings.ClientId, "senso.api.clientId"))
            .WithAuthority(Require(settings.Authority?.ToString(), "senso.api.authority"))
            .WithInstanceDiscovery(false);
        if (httpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(httpClientFactory);
        }
        string how;
        if (!string.IsNullOrWhiteSpace(settings.CertificateThumbprint))
        {
            builder = builder.WithCertificate(CertificateLoader.FromStore(settings.CertificateThumbprint!));
            how = "certificate " + settings.CertificateThumbprint!.Trim().ToUpperInvariant();
        }
        else if (!string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            builder = builder.WithCertificate(CertificateLoader.FromFile(settings.CertificatePath!, settings.CertificatePassword));
            how = "certificate file " + settings.CertificatePath;
        }
        else if (settings.ClientSecret is { } secret)
        {
            builder = builder.WithClientSecret(secret.Resolve());
            how = "client secret from " + secret;
        }
        else
        {
            throw new ConfigurationException("senso.api needs certificateThumbprint, certificatePath or clientSecret to sign in to Microsoft Entra ID.");
        }
        return new MsalClientCredentialTokenSource(builder.Build(), Scopes(settings), $"client credentials ({how}) for app {settings.ClientId}");
    }

    public async Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        ThrowIfDisposed(_disposed);
        try
        {
            var result = await _application.AcquireTokenForClient(_scopes).WithForceRefresh(forceRefresh)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return result.AccessToken;
        }
        catch (MsalException ex)
        {
            throw SensoAuthenticationException.From(ex);
        }
        catch (HttpRequestException ex)
        {
            throw SensoAuthenticationException.Unreachable(_application.Authority, ex);
        }
    }

    /// <summary>No token is handed out after this; the instance's cache goes with the instance.</summary>
    public void Dispose() => _disposed = true;

    internal static void ThrowIfDisposed(bool disposed)
    {
        if (disposed)
        {
            throw new ObjectDisposedException("Senso API sign-in", "This connection was closed by Disconnect-SensoClassLink or a newer Connect-SensoClassLink.");
        }
    }

    internal static string[] Scopes(SensoApiSettings settings) =>
        settings.Scopes.Count > 0 ? settings.Scopes.ToArray() : new[] { settings.BaseUrl!.GetLeftPart(UriPartial.Authority) + "/.default" };

    internal static string Require(string? value, string key) =>
        string.IsNullOrWhiteSpace(value) ? throw new ConfigurationException($"'{key}' is required for the Senso API provider.") : value!;
}

/// <summary>
/// Delegated tokens for a person at a console: device-code sign-in once, then MSAL's cache and silent refresh.
/// Disposing it signs the person out of this instance's cache (their refresh token does not outlive the connection).
/// </summary>
public sealed class MsalDeviceCodeTokenSource : ISensoTokenSource, IDisposable
{
    private bool _disposed;
    private readonly IPublicClientApplication _application;
    private readonly string[] _scopes;
    private readonly Func<string, Task> _showCode;

    /// <param name="showCode">Shows MSAL's "go to ... and enter code ..." message to the person signing in.</param>
    public MsalDeviceCodeTokenSource(IPublicClientApplication application, IEnumerable<string> scopes, Func<string, Task> showCode)
    {
        _application = application;
        _scopes = scopes.ToArray();
        _showCode = showCode;
    }

    public string Description => "device code sign-in (delegated)";

    public static MsalDeviceCodeTokenSource Create(SensoApiSettings settings, Func<string, Task> showCode, IMsalHttpClientFactory? httpClientFactory = null)
    {
        var builder = PublicClientApplicationBuilder.Create(MsalClientCredentialTokenSource.Require(settings.ClientId, "senso.api.clientId"))
            .WithAuthority(MsalClientCredentialTokenSource.Require(settings.Authority?.ToString(), "senso.api.authority"))
            .WithInstanceDiscovery(false);
        if (httpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(httpClientFactory);
        }
        return new MsalDeviceCodeTokenSource(builder.Build(), MsalClientCredentialTokenSource.Scopes(settings), showCode);
    }

    public async Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        MsalClientCredentialTokenSource.ThrowIfDisposed(_disposed);
        try
        {
            var account = (await _application.GetAccountsAsync().ConfigureAwait(false)).FirstOrDefault();
            if (account is not null)
            {
                try
                {
                    var silent = await _application.AcquireTokenSilent(_scopes, account).WithForceRefresh(forceRefresh)
                        .ExecuteAsync(cancellationToken).ConfigureAwait(false);
                    return silent.AccessToken;
                }
                catch (MsalUiRequiredException)
                {
                }
            }
            var result = await _application.AcquireTokenWithDeviceCode(_scopes, code => _showCode(code.Message))
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return result.AccessToken;
        }
        catch (MsalException ex)
        {
            throw SensoAuthenticationException.From(ex);
        }
        catch (HttpRequestException ex)
        {
            throw SensoAuthenticationException.Unreachable(_application.Authority, ex);
        }
    }

    /// <summary>Removes the signed-in accounts (and their tokens) from MSAL's in-memory cache.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Task.Run(async () =>
        {
            foreach (var account in await _application.GetAccountsAsync().ConfigureAwait(false))
            {
                await _application.RemoveAsync(account).ConfigureAwait(false);
            }
        }).GetAwaiter().GetResult();
    }
}

/// <summary>Signing in to Microsoft Entra ID failed. The message carries MSAL's error code, never a secret or token.</summary>
public sealed class SensoAuthenticationException : Exception
{
    public SensoAuthenticationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    internal static SensoAuthenticationException From(MsalException ex) =>
        // MSAL's messages describe the failure (AADSTS codes, invalid_client) and do not echo credentials.
        new($"Signing in to Microsoft Entra ID for the Senso API failed ({ex.ErrorCode}): {ex.Message}", ex);

    /// <summary>
    /// MSAL lets connection failures (DNS, refused, TLS) through as <see cref="HttpRequestException"/>; name the authority and
    /// the innermost cause (e.g. "certificate chain: UntrustedRoot"), which carry no credential.
    /// </summary>
    internal static SensoAuthenticationException Unreachable(string authority, HttpRequestException ex)
    {
        Exception innermost = ex;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }
        string host = Uri.TryCreate(authority, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : authority;
        bool tls = ex.InnerException is System.Security.Authentication.AuthenticationException;
        string advice = tls
            ? " The token endpoint's TLS certificate is not trusted by this machine: add its issuing CA to the trusted root store (on Linux the OpenSSL bundle, or SSL_CERT_FILE / SSL_CERT_DIR)."
            : " Check senso.api.authority and that this machine can reach it (proxy, firewall, DNS).";
        return new($"Signing in to Microsoft Entra ID for the Senso API failed: the token endpoint at {host} could not be reached ({innermost.Message}).{advice}", ex);
    }
}

/// <summary>Finds the certificate for client-credential sign-in.</summary>
internal static class CertificateLoader
{
    public static X509Certificate2 FromStore(string thumbprint)
    {
        string wanted = new string(thumbprint.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            try
            {
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or PlatformNotSupportedException)
            {
                continue;
            }
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, wanted, validOnly: false);
            foreach (var certificate in found)
            {
                if (certificate.HasPrivateKey)
                {
                    return certificate;
                }
            }
        }
        throw new ConfigurationException(
            $"'senso.api.certificateThumbprint': no certificate with thumbprint {wanted} and a private key is in the current user's or the local machine's personal (My) store.");
    }

    public static X509Certificate2 FromFile(string path, SecretReference? password)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"'senso.api.certificatePath': the certificate file '{path}' does not exist.");
        }
        try
        {
            return new X509Certificate2(path, password?.Resolve(), X509KeyStorageFlags.DefaultKeySet);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The exception text can mention the password being wrong but never holds it; keep ours plainer still.
            throw new ConfigurationException($"'senso.api.certificatePath': the certificate file '{path}' could not be opened (wrong password in {password?.ToString() ?? "no password"}, or not a PFX file).");
        }
    }
}
