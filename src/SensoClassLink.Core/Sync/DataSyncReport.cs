using System;
using System.Collections.Generic;
using System.IO;
using Newtonsoft.Json;
using SensoClassLink.Core.Reporting;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// Writes a data sync's decisions, one row per teacher, as CSV or JSON by the file's extension (.html is
/// <see cref="Reporting.HtmlSyncReport"/>'s). The file appears whole or not at all (<see cref="AtomicTextFile"/>). CSV cells that a
/// spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) get a leading quote.
/// </summary>
public static class DataSyncReport
{
    /// <summary>The columns, in order.</summary>
    public static readonly IReadOnlyList<string> Columns = new[]
    {
        "Email", "SourcedId", "Eligibility", "Action", "Reason", "GroupSync", "GroupsAdded", "GroupsUpdated", "GroupsRemoved", "Message", "DaysDeparted",
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the path when its extension is not .csv, .json or .html (.htm).</summary>
    public static void ValidatePath(string path)
    {
        string extension = Path.GetExtension(path);
        if (!string.Equals(extension, ".csv", StringComparison.OrdinalIgnoreCase) && !string.Equals(extension, ".json", StringComparison.OrdinalIgnoreCase)
            && !HtmlSyncReport.IsHtmlPath(path))
        {
            throw new ArgumentException($"The report path '{path}' must end in .csv, .json or .html.", nameof(path));
        }
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder of the report path '{path}' does not exist.");
        }
    }

    public static void Write(string path, IEnumerable<DataSyncDecision> decisions)
    {
        ValidatePath(path);
        if (HtmlSyncReport.IsHtmlPath(path))
        {
            throw new ArgumentException($"The report path '{path}' is an HTML report: write it with HtmlSyncReport.Write, which also needs the run and its history.", nameof(path));
        }
        bool json = string.Equals(Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase);
        AtomicTextFile.Write(path, writer =>
        {
            if (json)
            {
                WriteJson(writer, decisions);
            }
            else
            {
                WriteCsv(writer, decisions);
            }
        });
    }

    /// <summary>One CSV cell: formula starters neutralized with a leading quote, then quoted per RFC 4180 when needed.</summary>
    public static string CsvCell(string? value)
    {
        string text = value ?? "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }
        return text.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }

    private static void WriteCsv(TextWriter writer, IEnumerable<DataSyncDecision> decisions)
    {
        writer.Write(string.Join(",", Columns));
        writer.Write("\r\n");
        foreach (var d in decisions)
        {
            string[] cells =
            {
                d.Email, d.SourcedId, d.Eligibility.ToString(), d.Action.ToString(), d.Reason, d.GroupSync.ToString(),
                string.Join(";", d.GroupsAdded), string.Join(";", d.GroupsUpdated), string.Join(";", d.GroupsRemoved), d.Message,
                d.DaysDeparted?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            };
            for (int i = 0; i < cells.Length; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }
                writer.Write(CsvCell(cells[i]));
            }
            writer.Write("\r\n");
        }
    }

    private static void WriteJson(TextWriter writer, IEnumerable<DataSyncDecision> decisions)
    {
        using var json = new JsonTextWriter(writer) { Formatting = Formatting.Indented, CloseOutput = false };
        json.WriteStartArray();
        foreach (var d in decisions)
        {
            json.WriteStartObject();
            Property(json, "Email", d.Email);
            Property(json, "SourcedId", d.SourcedId);
            Property(json, "Eligibility", d.Eligibility.ToString());
            Property(json, "Action", d.Action.ToString());
            Property(json, "Reason", d.Reason);
            Property(json, "GroupSync", d.GroupSync.ToString());
            Array(json, "GroupsAdded", d.GroupsAdded);
            Array(json, "GroupsUpdated", d.GroupsUpdated);
            Array(json, "GroupsRemoved", d.GroupsRemoved);
            Property(json, "Message", d.Message);
            json.WritePropertyName("DaysDeparted");
            json.WriteValue(d.DaysDeparted);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.Flush();
    }

    private static void Property(JsonWriter json, string name, string value)
    {
        json.WritePropertyName(name);
        json.WriteValue(value);
    }

    private static void Array(JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WritePropertyName(name);
        json.WriteStartArray();
        foreach (string value in values)
        {
            json.WriteValue(value);
        }
        json.WriteEndArray();
    }
}
