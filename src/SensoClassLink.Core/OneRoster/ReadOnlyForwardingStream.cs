using System;
using System.IO;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// A forward-only, read-only view of another stream that it owns (disposing it disposes the inner stream). A
/// wrapper derives from it and overrides only what it changes: usually <see cref="Read"/>.
/// </summary>
internal abstract class ReadOnlyForwardingStream : Stream
{
    protected ReadOnlyForwardingStream(Stream inner)
    {
        Inner = inner;
    }

    /// <summary>The stream read from.</summary>
    protected Stream Inner { get; }

    public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, count);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
