namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>What a <see cref="JsonToken"/> holds; blank covers null, objects, arrays and absent values.</summary>
internal enum JsonTokenKind : byte
{
    Blank,
    String,
    EscapedString,
    Number,
    True,
    False,
    /// <summary>A whole value's JSON text (an array read again later); decoded as blank.</summary>
    Raw,
}

/// <summary>Where one scalar sits in the bytes (for strings: their content between the quotes).</summary>
internal readonly struct JsonToken
{
    public JsonToken(int start, int length, JsonTokenKind kind)
    {
        Start = start;
        Length = length;
        Kind = kind;
    }

    public int Start { get; }
    public int Length { get; }
    public JsonTokenKind Kind { get; }
}
