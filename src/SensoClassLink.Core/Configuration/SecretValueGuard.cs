using System.Linq;
using System.Text.RegularExpressions;

namespace SensoClassLink.Core.Configuration;

/// <summary>
/// Tells a secret reference's target (an environment variable's name, a file's path) from the secret itself given by
/// mistake: <c>-ClientSecretVariable $env:SECRET</c> passes the value, not the name. A value that fails these checks
/// is neither written to a configuration nor shown in a message.
/// </summary>
public static class SecretValueGuard
{
    private static readonly Regex ConventionalName = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>
    /// True for a variable that is set (a name, whatever its form: Windows allows more characters), or for a name of
    /// the conventional form (letters, digits, '_'), unless it is long and has no '_', as generated keys are.
    /// </summary>
    public static bool IsPlausibleVariableName(string name, bool isSet) =>
        isSet || (ConventionalName.IsMatch(name) && !(name.Length >= 24 && name.IndexOf('_') < 0));

    /// <summary>True for a file that exists, or for a path that has a folder or an extension, or is short: not a bare token.</summary>
    public static bool IsPlausibleFilePath(string path, bool exists) =>
        exists || path.IndexOfAny(new[] { '/', '\\', '.' }) >= 0 || path.Length < 16 || path.Any(char.IsWhiteSpace);
}
