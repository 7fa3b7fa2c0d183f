namespace SensoClassLink.Core.Eligibility;

/// <summary>
/// The one email normalizer of the codebase: a teacher's normalized roster email is their Senso username,
/// and records that share it are one person.
/// </summary>
public static class EmailAddress
{
    /// <summary>Trimmed and lower-cased (invariant); "" for null or blank.</summary>
    public static string Normalize(string? raw) => raw is null ? "" : raw.Trim().ToLowerInvariant();

    /// <summary>
    /// Whether a normalized email is usable as a username: exactly one '@'; a local part of 1..64 characters;
    /// a domain with at least one dot, no empty labels and no label starting or ending with '-'; no whitespace
    /// or control characters, no U+FFFD (an undecodable character); at most 254 characters in all. Apostrophes, '+', '.', '_' and '-' are fine locally.
    /// </summary>
    public static bool IsValid(string? normalized)
    {
        if (string.IsNullOrEmpty(normalized) || normalized!.Length > 254)
        {
            return false;
        }
        int at = -1;
        for (int i = 0; i < normalized.Length; i++)
        {
            char c = normalized[i];
            // U+FFFD stands for bytes the CSV reader could not decode: the real address is unknown, never to be guessed.
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '\uFFFD')
            {
                return false;
            }
            if (c == '@')
            {
                if (at >= 0)
                {
                    return false;
                }
                at = i;
            }
        }
        if (at < 1 || at > 64)
        {
            return false;
        }
        string domain = normalized.Substring(at + 1);
        if (domain.IndexOf('.') < 0)
        {
            return false;
        }
        foreach (string label in domain.Split('.'))
        {
            if (label.Length == 0 || label[0] == '-' || label[label.Length - 1] == '-')
            {
                return false;
            }
        }
        return true;
    }
}
