using System;
using System.IO;
using System.Text;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// Turns a CSV file's bytes into text: the byte-order mark picks UTF-8, UTF-16 LE/BE or UTF-32 LE/BE, and a file without
/// one is UTF-8. Bytes that are not valid in that encoding become U+FFFD (as they always did) and are noted in
/// <see cref="SawInvalidBytes"/>, so the reader can name the first line they are on. The BOM is read here rather than by
/// StreamReader so the same rule holds on .NET Framework and .NET.
/// </summary>
internal sealed class CsvTextDecoding
{
    private readonly InvalidByteFallback _fallback = new();

    private CsvTextDecoding(string name) => EncodingName = name;

    /// <summary>"UTF-8", "UTF-16 LE", …: what the file was read as.</summary>
    public string EncodingName { get; }

    /// <summary>True once the decoder has met bytes it could not decode (a file saved as Windows-1252 or Latin-1, say).</summary>
    public bool SawInvalidBytes => _fallback.Fired;

    public static TextReader Open(Stream stream, out CsvTextDecoding decoding)
    {
        var head = new byte[4];
        int read = 0;
        while (read < head.Length)
        {
            int n = stream.Read(head, read, head.Length - read);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        var (encoding, bom, name) = Detect(head, read);
        decoding = new CsvTextDecoding(name);
        encoding = (Encoding)encoding.Clone();
        encoding.DecoderFallback = decoding._fallback;
        var rest = new PrefixedStream(head, bom, read - bom, stream);
        return new StreamReader(rest, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
    }

    private static (Encoding Encoding, int Bom, string Name) Detect(byte[] b, int n)
    {
        if (n >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0)
        {
            return (new UTF32Encoding(bigEndian: false, byteOrderMark: false), 4, "UTF-32 LE");
        }
        if (n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)
        {
            return (new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4, "UTF-32 BE");
        }
        if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        {
            return (new UTF8Encoding(false), 3, "UTF-8");
        }
        if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        {
            return (new UnicodeEncoding(bigEndian: false, byteOrderMark: false), 2, "UTF-16 LE");
        }
        if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        {
            return (new UnicodeEncoding(bigEndian: true, byteOrderMark: false), 2, "UTF-16 BE");
        }
        return (new UTF8Encoding(false), 0, "UTF-8");
    }

    /// <summary>Decodes an invalid sequence to U+FFFD, as the default fallback does, and remembers that it happened.</summary>
    private sealed class InvalidByteFallback : DecoderFallback
    {
        public bool Fired;

        public override int MaxCharCount => 1;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

        private sealed class Buffer : DecoderFallbackBuffer
        {
            private readonly InvalidByteFallback _owner;
            private int _remaining;

            public Buffer(InvalidByteFallback owner) => _owner = owner;

            public override int Remaining => _remaining;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                _owner.Fired = true;
                _remaining = 1;
                return true;
            }

            public override char GetNextChar()
            {
                if (_remaining == 0)
                {
                    return '\0';
                }
                _remaining--;
                return '\uFFFD';
            }

            public override bool MovePrevious()
            {
                if (_remaining != 0)
                {
                    return false;
                }
                _remaining = 1;
                return true;
            }

            public override void Reset() => _remaining = 0;
        }
    }

    /// <summary>The bytes read ahead to find the BOM (less the BOM), then the rest of the stream.</summary>
    private sealed class PrefixedStream : ReadOnlyForwardingStream
    {
        private readonly byte[] _prefix;
        private int _offset;
        private readonly int _end;

        public PrefixedStream(byte[] prefix, int offset, int count, Stream inner)
            : base(inner)
        {
            _prefix = prefix;
            _offset = offset;
            _end = offset + count;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset < _end)
            {
                int n = Math.Min(count, _end - _offset);
                Array.Copy(_prefix, _offset, buffer, offset, n);
                _offset += n;
                return n;
            }
            return Inner.Read(buffer, offset, count);
        }
    }
}
