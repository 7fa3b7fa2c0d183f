using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using SensoClassLink.Session;

namespace SensoClassLink.Completers;

/// <summary>
/// Completes names from the connected Senso tenant. Completion must never throw or hang the console, so any
/// failure (not connected, tenant unreachable) simply offers nothing.
/// </summary>
public abstract class SensoNameCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var connection = ModuleConnection.Current;
        if (connection is null)
        {
            return Array.Empty<CompletionResult>();
        }
        try
        {
            using var timeout = new CancellationTokenSource(Budget);
            string typed = (wordToComplete ?? "").Trim('\'', '"');
            return Names(connection, typed, timeout.Token)
                .Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    protected abstract IEnumerable<string> Names(ModuleConnection connection, string typed, CancellationToken cancellationToken);

    private static string Quote(string name) =>
        name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ',', ';', '(', ')', '{', '}', '@', '#' }) >= 0 ? "'" + name.Replace("'", "''") + "'" : name;
}

/// <summary>Completes Senso role names.</summary>
public sealed class SensoRoleCompleter : SensoNameCompleter
{
    protected override IEnumerable<string> Names(ModuleConnection connection, string typed, CancellationToken cancellationToken) =>
        connection.Senso.GetRolesAsync(cancellationToken).GetAwaiter().GetResult().Select(r => r.Name);
}

/// <summary>Completes Senso site names.</summary>
public sealed class SensoSiteCompleter : SensoNameCompleter
{
    protected override IEnumerable<string> Names(ModuleConnection connection, string typed, CancellationToken cancellationToken) =>
        connection.Senso.GetSitesAsync(cancellationToken).GetAwaiter().GetResult().Select(s => s.Name);
}

/// <summary>Completes the emails of Senso users (first 50 matches).</summary>
public sealed class SensoUserEmailCompleter : SensoNameCompleter
{
    protected override IEnumerable<string> Names(ModuleConnection connection, string typed, CancellationToken cancellationToken) =>
        connection.Senso.SearchUsersAsync(typed.Length == 0 ? null : typed, 50, 0, cancellationToken).GetAwaiter().GetResult().Users.Select(u => u.Email);
}
