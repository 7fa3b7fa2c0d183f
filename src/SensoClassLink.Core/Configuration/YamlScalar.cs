using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SensoClassLink.Core.Configuration;

/// <summary>
/// Writes values as YAML double-quoted scalars, which read back exactly whatever they hold: quotes, backslashes,
/// colons, '#', leading spaces, YAML words such as 'null' or 'yes', and any Unicode text. Characters YAML treats
/// as line breaks or forbids are written as escapes.
/// </summary>
public static class YamlScalar
{
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        text.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        // A lone surrogate cannot be written as UTF-8, so the file could not hold the value.
                        throw new ArgumentException($"The value holds an unpaired UTF-16 surrogate at position {i + 1}, which a YAML file cannot hold.", nameof(value));
                    }
                    else if (NeedsEscape(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        return text.Append('"').ToString();
    }

    /// <summary>A flow sequence of quoted values: ["a", "b"].</summary>
    public static string QuoteList(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";

    // C0 and C1 controls, DEL, the Unicode line and paragraph separators (YAML 1.1 line breaks), the BOM and non-characters.
    private static bool NeedsEscape(char c) =>
        c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029' || c == '\uFEFF' || c == '\uFFFE' || c == '\uFFFF';
}
