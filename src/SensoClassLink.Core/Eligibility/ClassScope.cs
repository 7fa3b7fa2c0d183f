using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace SensoClassLink.Core.Eligibility;

/// <summary>
/// Which classes the district lets count (<c>roster.schools</c>, <c>roster.excludeClasses</c>): a class counts when its
/// school is one of the listed schools (by name or sourcedId, case-insensitive; none listed means every school) and
/// neither its title nor its classCode matches an exclusion pattern (<c>*</c> and <c>?</c>, case-insensitive, whole value).
/// </summary>
public sealed class ClassScope
{
    /// <summary>Every class of every school.</summary>
    public static readonly ClassScope All = new(Array.Empty<string>(), Array.Empty<string>());

    private readonly HashSet<string> _schools;
    private readonly Regex[] _excluded;

    public ClassScope(IEnumerable<string> schools, IEnumerable<string> excludeClasses)
    {
        _schools = new HashSet<string>(schools.Select(s => s.Trim()).Where(s => s.Length > 0), StringComparer.OrdinalIgnoreCase);
        ExcludeClasses = excludeClasses.Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();
        _excluded = ExcludeClasses.Select(ToRegex).ToArray();
    }

    /// <summary>The schools whose classes count; empty means all.</summary>
    public IReadOnlyCollection<string> Schools => _schools;

    public IReadOnlyList<string> ExcludeClasses { get; }

    /// <summary>True when nothing is filtered.</summary>
    public bool IsAll => _schools.Count == 0 && _excluded.Length == 0;

    /// <summary>Whether the class counts: in a listed school (or no school listed) and not excluded by title or classCode.</summary>
    public bool Includes(string title, string classCode, string schoolSourcedId, string schoolName)
    {
        if (_schools.Count > 0 && !_schools.Contains(schoolSourcedId.Trim()) && !_schools.Contains(schoolName.Trim()))
        {
            return false;
        }
        return !IsExcluded(title) && !IsExcluded(classCode);
    }

    private bool IsExcluded(string value)
    {
        string trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return false;
        }
        foreach (var pattern in _excluded)
        {
            if (pattern.IsMatch(trimmed))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A wildcard pattern as an anchored regex: <c>*</c> any run, <c>?</c> one character, the rest literal.</summary>
    private static Regex ToRegex(string pattern)
    {
        var text = new StringBuilder("^");
        foreach (char c in pattern)
        {
            text.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }
        text.Append('$');
        return new Regex(text.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
