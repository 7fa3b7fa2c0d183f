using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using SensoClassLink.Session;

namespace SensoClassLink.Completers;

/// <summary>Completes Senso role names (for -Role and -DefaultRole parameters).</summary>
public sealed class SensoRoleNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        SensoNameCompletion.Complete(wordToComplete, "role", connection =>
            connection.Senso.GetRolesAsync(CancellationToken.None).GetAwaiter().GetResult().Select(r => r.Name));
}

/// <summary>Completes Senso site names (for -Site and -DefaultSite parameters).</summary>
public sealed class SensoSiteNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        SensoNameCompletion.Complete(wordToComplete, "site", connection =>
            connection.Senso.GetSitesAsync(CancellationToken.None).GetAwaiter().GetResult().Select(s => s.Name));
}

/// <summary>Completes the emails of Senso users (the first 50 that match what was typed).</summary>
public sealed class SensoUserEmailCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? "").Trim('\'', '"');
        return SensoNameCompletion.Complete(wordToComplete ?? "", "user", connection =>
            connection.Senso.SearchUsersAsync(typed.Length == 0 ? null : typed, 50, 0, CancellationToken.None).GetAwaiter().GetResult().Users.Select(u => u.Email));
    }
}

internal static class SensoNameCompletion
{
    /// <summary>
    /// Names from the current connection that start with the typed text (case-insensitive), quoted when needed.
    /// Completion never connects, prompts or throws: without a connection, or when Senso cannot answer, it offers nothing.
    /// </summary>
    public static IEnumerable<CompletionResult> Complete(string wordToComplete, string kind, Func<ModuleConnection, IEnumerable<string>> names)
    {
        var connection = ModuleConnection.Current;
        if (connection is null || connection.UsesDeviceCode && connection.OpenedSenso is null)
        {
            return Array.Empty<CompletionResult>();
        }
        string typed = (wordToComplete ?? "").Trim('\'', '"');
        try
        {
            return names(connection)
                .Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, $"Senso {kind} {n}"))
                .ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    private static string Quote(string name) =>
        name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', ',', '@', '#' }) < 0 ? name : "'" + name.Replace("'", "''") + "'";
}
