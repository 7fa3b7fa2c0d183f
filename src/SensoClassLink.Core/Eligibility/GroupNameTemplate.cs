using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SensoClassLink.Core.Configuration;

namespace SensoClassLink.Core.Eligibility;

/// <summary>The values of one class that a group name template may use; each is trimmed, "" when the roster has none.</summary>
public readonly struct GroupNameFields
{
    public GroupNameFields(string title, string classCode, string school, string term, string period)
    {
        Title = title;
        ClassCode = classCode;
        School = school;
        Term = term;
        Period = period;
    }

    public string Title { get; }
    public string ClassCode { get; }
    public string School { get; }
    public string Term { get; }
    public string Period { get; }

    internal string Get(GroupNameField field) => field switch
    {
        GroupNameField.Title => Title,
        GroupNameField.ClassCode => ClassCode,
        GroupNameField.School => School,
        GroupNameField.Term => Term,
        _ => Period,
    };
}

/// <summary>The fields of <c>import.groupName</c>.</summary>
public enum GroupNameField
{
    Title,
    ClassCode,
    School,
    Term,
    Period,
}

/// <summary>
/// <c>import.groupName</c>: how a class's Senso group is named, for example <c>{classCode} {title}</c>. Fields are
/// written in braces (<c>{{</c> and <c>}}</c> are literal braces). A field without a value is left out with what
/// wraps it: the text directly before it back to the previous space (such as <c>(</c> or <c>P</c>) and the closing
/// brackets directly after it; the text between two fields is kept only between two fields that have values (the
/// text before the later one). Spaces from the template never double and the name is trimmed; values are used as
/// the roster gives them, so the default <c>{title}</c> is exactly the class title. Pure: no I/O.
/// </summary>
public sealed class GroupNameTemplate
{
    public const string DefaultText = "{title}";

    /// <summary>The field names as written in a template, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> FieldNames = new[] { "title", "classCode", "school", "term", "period" };

    /// <summary>The class title alone: the names groups have always had.</summary>
    public static readonly GroupNameTemplate Default = Parse(DefaultText);

    private const string ClosingBrackets = ")]}>";

    private readonly GroupNameField[] _fields;
    /// <summary>Per field: the constant text before the first field (index 0 only), else the separator before it.</summary>
    private readonly string[] _separators;
    private readonly string[] _prefixes;
    private readonly string[] _suffixes;
    private readonly string _lead;
    private readonly string _tail;

    private GroupNameTemplate(string text, List<GroupNameField> fields, List<string> literals)
    {
        Text = text;
        _fields = fields.ToArray();
        int n = _fields.Length;
        _separators = new string[n];
        _prefixes = new string[n];
        _suffixes = new string[n];
        for (int i = 0; i < n; i++)
        {
            _suffixes[i] = "";
        }
        (_lead, _prefixes[0]) = SplitTrailingWord(literals[0]);
        _separators[0] = "";
        for (int i = 1; i < n; i++)
        {
            string between = literals[i];
            if (!between.Any(char.IsWhiteSpace))
            {
                // "{classCode}-{title}": text without a space joins the two fields and goes when either is missing.
                _separators[i] = between;
                _prefixes[i] = "";
                continue;
            }
            int closing = 0;
            while (closing < between.Length && ClosingBrackets.IndexOf(between[closing]) >= 0)
            {
                closing++;
            }
            _suffixes[i - 1] = between.Substring(0, closing);
            (_separators[i], _prefixes[i]) = SplitTrailingWord(between.Substring(closing));
        }
        string last = literals[n];
        int word = 0;
        while (word < last.Length && !char.IsWhiteSpace(last[word]))
        {
            word++;
        }
        _suffixes[n - 1] += last.Substring(0, word);
        _tail = last.Substring(word);
        IsTitleOnly = n == 1 && _fields[0] == GroupNameField.Title && _lead.Length == 0 && _prefixes[0].Length == 0 && _suffixes[0].Length == 0 && _tail.Length == 0;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>True for <c>{title}</c>: the name is the title itself, with nothing to render.</summary>
    public bool IsTitleOnly { get; }

    /// <summary>Whether the template names <paramref name="field"/> (so the reader knows what it must keep).</summary>
    public bool Uses(GroupNameField field) => Array.IndexOf(_fields, field) >= 0;

    /// <summary>Parses a template; a problem is a <see cref="FormatException"/> (see <see cref="TryParse"/>).</summary>
    public static GroupNameTemplate Parse(string text) =>
        TryParse(text, out var template, out var problem) ? template! : throw new FormatException(problem!.Message);

    /// <summary>
    /// Parses a template. On failure <paramref name="problem"/> says what is wrong and at which character
    /// (0-based), so the configuration can point at the column: an unknown field, an unbalanced brace, no field.
    /// </summary>
    public static bool TryParse(string text, out GroupNameTemplate? template, out GroupNameTemplateProblem? problem)
    {
        template = null;
        problem = null;
        var fields = new List<GroupNameField>();
        var literals = new List<string>();
        var literal = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '}')
            {
                if (i + 1 < text.Length && text[i + 1] == '}')
                {
                    literal.Append('}');
                    i++;
                    continue;
                }
                problem = new GroupNameTemplateProblem(i, "has a '}' that closes no field; write '}}' for a brace in the name. " + KnownFields());
                return false;
            }
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            if (i + 1 < text.Length && text[i + 1] == '{')
            {
                literal.Append('{');
                i++;
                continue;
            }
            int close = text.IndexOf('}', i + 1);
            int nested = text.IndexOf('{', i + 1);
            if (close < 0 || (nested >= 0 && nested < close))
            {
                problem = new GroupNameTemplateProblem(i, "has a '{' that is never closed; write '{{' for a brace in the name. " + KnownFields());
                return false;
            }
            string name = text.Substring(i + 1, close - i - 1);
            int index = IndexOfField(name.Trim());
            if (index < 0)
            {
                string hint = Closest(name.Trim());
                problem = new GroupNameTemplateProblem(i, $"names the field '{{{name}}}', which is not known" + (hint.Length > 0 ? $" (did you mean '{{{hint}}}'?)" : "") + ". " + KnownFields());
                return false;
            }
            literals.Add(literal.ToString());
            literal.Clear();
            fields.Add((GroupNameField)index);
            i = close;
        }
        literals.Add(literal.ToString());
        if (fields.Count == 0)
        {
            problem = new GroupNameTemplateProblem(0, "names no field, so every group would have the same name. " + KnownFields());
            return false;
        }
        template = new GroupNameTemplate(text, fields, literals);
        return true;
    }

    /// <summary>The group name of one class.</summary>
    public string Render(in GroupNameFields values)
    {
        if (IsTitleOnly)
        {
            return values.Title;
        }
        var name = new StringBuilder();
        AppendLiteral(name, _lead);
        bool any = false;
        for (int i = 0; i < _fields.Length; i++)
        {
            string value = values.Get(_fields[i]).Trim();
            if (value.Length == 0)
            {
                continue;
            }
            if (any)
            {
                AppendLiteral(name, _separators[i]);
            }
            AppendLiteral(name, _prefixes[i]);
            name.Append(value);
            AppendLiteral(name, _suffixes[i]);
            any = true;
        }
        AppendLiteral(name, _tail);
        return name.ToString().Trim();
    }

    public override string ToString() => Text;

    /// <summary>Template text, where no space follows another or starts the name.</summary>
    private static void AppendLiteral(StringBuilder name, string text)
    {
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) && (name.Length == 0 || char.IsWhiteSpace(name[name.Length - 1])))
            {
                continue;
            }
            name.Append(char.IsWhiteSpace(c) ? ' ' : c);
        }
    }

    /// <summary>"x (P" → ("x (", "P"): the word directly before a field belongs to it.</summary>
    private static (string Before, string Word) SplitTrailingWord(string text)
    {
        int start = text.Length;
        while (start > 0 && !char.IsWhiteSpace(text[start - 1]))
        {
            start--;
        }
        return (text.Substring(0, start), text.Substring(start));
    }

    private static int IndexOfField(string name)
    {
        for (int i = 0; i < FieldNames.Count; i++)
        {
            if (string.Equals(FieldNames[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    private static string Closest(string name) =>
        FieldNames.Select(f => (f, d: EditDistance.Between(name.ToLowerInvariant(), f.ToLowerInvariant())))
            .Where(x => x.d <= Math.Max(2, x.f.Length / 3))
            .OrderBy(x => x.d)
            .Select(x => x.f)
            .FirstOrDefault() ?? "";

    private static string KnownFields() => "The known fields are " + string.Join(", ", FieldNames.Select(f => "{" + f + "}")) + ".";
}

/// <summary>Why a group name template was refused, and at which character of it (0-based).</summary>
public sealed class GroupNameTemplateProblem
{
    public GroupNameTemplateProblem(int offset, string message)
    {
        Offset = offset;
        Message = message;
    }

    public int Offset { get; }

    /// <summary>Reads after the key: "has a '{' that is never closed; …".</summary>
    public string Message { get; }
}
