using System;
using System.Collections.Generic;
using System.Linq;

namespace SensoClassLink.Core.Configuration;

/// <summary>A configuration that cannot be used. Carries every problem found, so a user fixes them in one pass.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
        Problems = new[] { new ConfigurationProblem(null, null, 0, 0, message) };
    }

    /// <summary>A problem with one thing the user can do about it (shown as the error's RecommendedAction).</summary>
    public ConfigurationException(string message, string recommendedAction)
        : this(message)
    {
        RecommendedAction = recommendedAction;
    }

    public ConfigurationException(string? file, IReadOnlyList<ConfigurationProblem> problems)
        : base(FormatMessage(file, problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<ConfigurationProblem> Problems { get; }

    /// <summary>What to do about it, when there is one thing to do; otherwise null.</summary>
    public string? RecommendedAction { get; }

    private static string FormatMessage(string? file, IReadOnlyList<ConfigurationProblem> problems)
    {
        string header = problems.Count == 1
            ? $"The configuration file '{file}' has 1 problem:"
            : $"The configuration file '{file}' has {problems.Count} problems:";
        return header + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p));
    }
}

/// <summary>One problem in a configuration file, located by key path and line.</summary>
public sealed class ConfigurationProblem
{
    public ConfigurationProblem(string? file, string? key, long line, long column, string message)
    {
        File = file;
        Key = key;
        Line = line;
        Column = column;
        Message = message;
    }

    public string? File { get; }
    public string? Key { get; }
    public long Line { get; }
    public long Column { get; }
    public string Message { get; }

    public override string ToString()
    {
        string where = Line > 0 ? $"line {Line}, column {Column}" : "";
        string key = Key is null ? "" : $"'{Key}'";
        string prefix = string.Join(" ", new[] { where, key }.Where(s => s.Length > 0));
        return prefix.Length > 0 ? $"{prefix}: {Message}" : Message;
    }
}
