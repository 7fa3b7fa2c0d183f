using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace SensoClassLink.Core.OneRoster;

// The snapshot's private file format: a compact binary encoding of roster records, written and read back in one run.

/// <summary>
/// Writes snapshot records: strings as UTF-8 with a 7-bit length, and the few values that repeat across records
/// (status, role, location, school, dates) as back-references into a small table, so files stay compact and the
/// replayed records share those strings instead of allocating one per record.
/// </summary>
internal sealed class SnapshotWriter : IDisposable
{
    private const int TableLimit = 4096;
    private readonly Stream _stream;
    private readonly Dictionary<string, int> _table = new(StringComparer.Ordinal);
    private readonly byte[] _scratch = new byte[256];

    public SnapshotWriter(Stream stream) => _stream = stream;

    public void Write(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WriteCount(length);
        byte[] buffer = length <= _scratch.Length ? _scratch : new byte[length];
        Encoding.UTF8.GetBytes(value, 0, value.Length, buffer, 0);
        _stream.Write(buffer, 0, length);
    }

    /// <summary>A value likely to repeat: index+1 into the table, or 0 followed by the string (which joins the table).</summary>
    public void WriteToken(string value)
    {
        if (_table.TryGetValue(value, out int index))
        {
            WriteCount(index + 1);
            return;
        }
        WriteCount(0);
        Write(value);
        if (_table.Count < TableLimit)
        {
            _table.Add(value, _table.Count);
        }
    }

    public void WriteOptional(string? value)
    {
        _stream.WriteByte(value is null ? (byte)0 : (byte)1);
        if (value is not null)
        {
            Write(value);
        }
    }

    public void WriteCount(long value)
    {
        ulong v = (ulong)value;
        while (v >= 0x80)
        {
            _stream.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        _stream.WriteByte((byte)v);
    }

    public void Dispose()
    {
        _stream.Flush();
        _stream.Dispose();
    }
}

/// <summary>Reads what <see cref="SnapshotWriter"/> wrote, mirroring its table.</summary>
internal sealed class SnapshotReader : IDisposable
{
    private const int TableLimit = 4096;
    private readonly Stream _stream;
    private readonly List<string> _table = new();
    private byte[] _buffer = new byte[256];

    public SnapshotReader(Stream stream) => _stream = stream;

    public bool AtEnd => _stream.ReadByte() < 0;

    public string ReadString()
    {
        int length = checked((int)ReadCount());
        if (length == 0)
        {
            return "";
        }
        if (length > _buffer.Length)
        {
            _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
        }
        int read = 0;
        while (read < length)
        {
            int n = _stream.Read(_buffer, read, length - read);
            if (n <= 0)
            {
                throw new EndOfStreamException("The file ends inside a record.");
            }
            read += n;
        }
        return Encoding.UTF8.GetString(_buffer, 0, length);
    }

    public string ReadToken()
    {
        long reference = ReadCount();
        if (reference > 0)
        {
            return reference <= _table.Count ? _table[(int)reference - 1] : throw new InvalidDataException($"Unknown string reference {reference}.");
        }
        string value = ReadString();
        if (_table.Count < TableLimit)
        {
            _table.Add(value);
        }
        return value;
    }

    public string? ReadOptional() => ReadByte() == 0 ? null : ReadString();

    public long ReadCount()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            int b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return (long)value;
            }
        }
        throw new InvalidDataException("A length is longer than 64 bits.");
    }

    private int ReadByte()
    {
        int b = _stream.ReadByte();
        return b >= 0 ? b : throw new EndOfStreamException("The file ends inside a record.");
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>The field layout of each record kind in a snapshot file; write and read must list the same fields in the same order.</summary>
internal static class RecordCodec
{
    public static void WriteOrg(SnapshotWriter w, RosterOrg r)
    {
        w.WriteToken(r.Location);
        w.WriteCount(r.Line);
        w.Write(r.SourcedId);
        w.WriteToken(r.Status);
        w.Write(r.Name);
        w.WriteToken(r.Type);
        w.WriteOptional(r.ParentSourcedId);
    }

    public static RosterOrg ReadOrg(SnapshotReader r) => new()
    {
        Location = r.ReadToken(), Line = r.ReadCount(), SourcedId = r.ReadString(), Status = r.ReadToken(), Name = r.ReadString(),
        Type = r.ReadToken(), ParentSourcedId = r.ReadOptional(),
    };

    public static void WriteUser(SnapshotWriter w, RosterUser r)
    {
        w.WriteToken(r.Location);
        w.WriteCount(r.Line);
        w.Write(r.SourcedId);
        w.WriteToken(r.Status);
        w.WriteToken(r.EnabledUser);
        WriteList(w, r.Roles);
        WriteList(w, r.OrgSourcedIds);
        w.Write(r.Username);
        w.Write(r.GivenName);
        w.Write(r.FamilyName);
        w.Write(r.Email);
        w.Write(r.Identifier);
    }

    public static RosterUser ReadUser(SnapshotReader r) => new()
    {
        Location = r.ReadToken(), Line = r.ReadCount(), SourcedId = r.ReadString(), Status = r.ReadToken(), EnabledUser = r.ReadToken(),
        Roles = ReadList(r), OrgSourcedIds = ReadList(r), Username = r.ReadString(), GivenName = r.ReadString(),
        FamilyName = r.ReadString(), Email = r.ReadString(), Identifier = r.ReadString(),
    };

    public static void WriteClass(SnapshotWriter w, RosterClass r)
    {
        w.WriteToken(r.Location);
        w.WriteCount(r.Line);
        w.Write(r.SourcedId);
        w.WriteToken(r.Status);
        w.Write(r.Title);
        w.Write(r.ClassCode);
        w.WriteToken(r.SchoolSourcedId);
        w.Write(r.CourseSourcedId);
    }

    public static RosterClass ReadClass(SnapshotReader r) => new()
    {
        Location = r.ReadToken(), Line = r.ReadCount(), SourcedId = r.ReadString(), Status = r.ReadToken(), Title = r.ReadString(),
        ClassCode = r.ReadString(), SchoolSourcedId = r.ReadToken(), CourseSourcedId = r.ReadString(),
    };

    public static void WriteEnrollment(SnapshotWriter w, RosterEnrollment r)
    {
        w.WriteToken(r.Location);
        w.WriteCount(r.Line);
        w.Write(r.SourcedId);
        w.WriteToken(r.Status);
        w.Write(r.ClassSourcedId);
        w.WriteToken(r.SchoolSourcedId);
        w.Write(r.UserSourcedId);
        w.WriteToken(r.Role);
        w.WriteToken(r.BeginDate);
        w.WriteToken(r.EndDate);
    }

    public static RosterEnrollment ReadEnrollment(SnapshotReader r) => new()
    {
        Location = r.ReadToken(), Line = r.ReadCount(), SourcedId = r.ReadString(), Status = r.ReadToken(), ClassSourcedId = r.ReadString(),
        SchoolSourcedId = r.ReadToken(), UserSourcedId = r.ReadString(), Role = r.ReadToken(), BeginDate = r.ReadToken(), EndDate = r.ReadToken(),
    };

    private static void WriteList(SnapshotWriter w, IReadOnlyList<string> values)
    {
        w.WriteCount(values.Count);
        foreach (string value in values)
        {
            w.WriteToken(value);
        }
    }

    private static IReadOnlyList<string> ReadList(SnapshotReader r)
    {
        int count = checked((int)r.ReadCount());
        if (count == 0)
        {
            return Array.Empty<string>();
        }
        var values = new string[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = r.ReadToken();
        }
        return values;
    }
}
