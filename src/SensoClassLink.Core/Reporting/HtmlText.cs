using System.Text;

namespace SensoClassLink.Core.Reporting;

/// <summary>
/// Escapes text for HTML and inline SVG, in element content and in double-quoted attributes alike, so roster
/// values (a teacher named &lt;script&gt;) are shown as text and never parsed as markup.
/// </summary>
public static class HtmlText
{
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        StringBuilder? builder = null;
        for (int i = 0; i < value!.Length; i++)
        {
            char c = value[i];
            string? replacement = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                // Control characters other than tab and newlines are not allowed in HTML text; show a replacement mark.
                _ when c < ' ' && c is not '\t' and not '\n' and not '\r' => "\uFFFD",
                _ => null,
            };
            if (replacement is null)
            {
                builder?.Append(c);
                continue;
            }
            builder ??= new StringBuilder(value.Length + 16).Append(value, 0, i);
            builder.Append(replacement);
        }
        return builder?.ToString() ?? value;
    }
}
