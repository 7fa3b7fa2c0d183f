using System;
using System.IO;

namespace SensoClassLink.Core.Configuration;

/// <summary>
/// Where a secret lives: an environment variable (<c>env:NAME</c>) or a file (<c>file:PATH</c>).
/// The configuration file never holds the secret itself, and this type never prints it.
/// </summary>
public sealed class SecretReference
{
    private SecretReference(SecretReferenceKind kind, string target, string key)
    {
        Kind = kind;
        Target = target;
        Key = key;
    }

    public SecretReferenceKind Kind { get; }

    /// <summary>The variable name or the absolute file path: safe to show.</summary>
    public string Target { get; }

    /// <summary>The configuration key this reference came from, for messages.</summary>
    public string Key { get; }

    /// <summary>Parses a reference; a value that is not one returns false and must be treated as a literal secret.</summary>
    public static bool TryParse(string value, string key, string baseDirectory, out SecretReference? reference)
    {
        reference = null;
        string trimmed = value.Trim();
        if (trimmed.StartsWith("env:", StringComparison.OrdinalIgnoreCase) && trimmed.Length > 4)
        {
            reference = new SecretReference(SecretReferenceKind.Environment, trimmed.Substring(4), key);
            return true;
        }
        if (trimmed.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && trimmed.Length > 5)
        {
            string path = trimmed.Substring(5);
            reference = new SecretReference(SecretReferenceKind.File, Path.GetFullPath(Path.Combine(baseDirectory, path)), key);
            return true;
        }
        return false;
    }

    /// <summary>Creates a reference to an environment variable (used for values given on the command line).</summary>
    public static SecretReference FromEnvironment(string variable, string key) =>
        new(SecretReferenceKind.Environment, variable, key);

    /// <summary>Creates a reference to a file (absolute once created), for configurations written from the command line.</summary>
    public static SecretReference FromFile(string path, string key) =>
        new(SecretReferenceKind.File, Path.GetFullPath(path), key);

    /// <summary>Reads the secret. Errors name the key and the variable or file, never a value.</summary>
    public string Resolve()
    {
        string? value;
        if (Kind == SecretReferenceKind.Environment)
        {
            value = Environment.GetEnvironmentVariable(Target);
            if (string.IsNullOrEmpty(value))
            {
                throw new ConfigurationException($"The secret for '{Key}' refers to the environment variable '{Target}', which is not set.");
            }
            return value!;
        }

        if (!File.Exists(Target))
        {
            throw new ConfigurationException($"The secret for '{Key}' refers to the file '{Target}', which does not exist.");
        }
        value = File.ReadAllText(Target).Trim();
        if (value.Length == 0)
        {
            throw new ConfigurationException($"The secret for '{Key}' refers to the file '{Target}', which is empty.");
        }
        return value;
    }

    public override string ToString() => Kind == SecretReferenceKind.Environment ? "env:" + Target : "file:" + Target;
}

public enum SecretReferenceKind
{
    Environment,
    File,
}
