using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace SensoClassLink.Core.Configuration;

/// <summary>
/// Reads one YAML mapping against a fixed set of keys, recording every problem (unknown key,
/// wrong type, missing key) with its key path and line instead of stopping at the first.
/// </summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode? _node;
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);
    private readonly ConfigurationProblems _problems;

    public YamlSection(string path, YamlNode? node, ConfigurationProblems problems, params string[] allowedKeys)
    {
        Path = path;
        _problems = problems;
        if (node is null || IsNull(node))
        {
            return;
        }
        if (node is not YamlMappingNode mapping)
        {
            problems.Add(path, node, "must be a mapping of keys to values.");
            return;
        }
        _node = mapping;
        foreach (var entry in mapping.Children)
        {
            string key = (entry.Key as YamlScalarNode)?.Value ?? "";
            string keyPath = Join(path, key);
            if (!allowedKeys.Contains(key, StringComparer.Ordinal))
            {
                string hint = ClosestKey(key, allowedKeys);
                problems.Add(keyPath, entry.Key, "is not a known key" + (hint.Length > 0 ? $"; did you mean '{Join(path, hint)}'?" : "."));
                continue;
            }
            _values[key] = entry.Value;
        }
    }

    public string Path { get; }

    public YamlNode? Node => _node;

    public bool Has(string key) => _values.TryGetValue(key, out var v) && !IsNull(v);

    public YamlNode? Raw(string key) => _values.TryGetValue(key, out var v) && !IsNull(v) ? v : null;

    public YamlSection Section(string key, params string[] allowedKeys) =>
        new(Join(Path, key), Raw(key), _problems, allowedKeys);

    public string? String(string key, bool required = false)
    {
        var node = Raw(key);
        if (node is null)
        {
            if (required)
            {
                _problems.Add(Join(Path, key), _node, "is required but missing.");
            }
            return null;
        }
        if (node is not YamlScalarNode scalar)
        {
            _problems.Add(Join(Path, key), node, "must be a single value, not a list or mapping.");
            return null;
        }
        return scalar.Value;
    }

    public int Int(string key, int fallback, int min, int max)
    {
        string? text = String(key);
        if (text is null)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            _problems.Add(Join(Path, key), Raw(key), $"must be a whole number, not '{text}'.");
            return fallback;
        }
        if (value < min || value > max)
        {
            _problems.Add(Join(Path, key), Raw(key), $"must be between {min} and {max}, not {value}.");
            return fallback;
        }
        return value;
    }

    /// <summary>true or false (any case), as YAML 1.2 spells them; yes/no/on/off are refused rather than guessed.</summary>
    public bool Bool(string key, bool fallback)
    {
        string? text = String(key);
        if (text is null)
        {
            return fallback;
        }
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        _problems.Add(Join(Path, key), Raw(key), $"must be true or false, not '{text}'.");
        return fallback;
    }

    public T Enum<T>(string key, T fallback, IReadOnlyDictionary<string, T> names)
    {
        string? text = String(key);
        if (text is null)
        {
            return fallback;
        }
        foreach (var pair in names)
        {
            if (string.Equals(pair.Key, text, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }
        _problems.Add(Join(Path, key), Raw(key), $"must be one of {string.Join(", ", names.Keys)}, not '{text}'.");
        return fallback;
    }

    public IReadOnlyList<string>? List(string key)
    {
        var node = Raw(key);
        if (node is null)
        {
            return null;
        }
        if (node is not YamlSequenceNode sequence)
        {
            _problems.Add(Join(Path, key), node, "must be a list, for example [a, b].");
            return null;
        }
        var items = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode scalar && !string.IsNullOrWhiteSpace(scalar.Value))
            {
                items.Add(scalar.Value!.Trim());
            }
            else
            {
                _problems.Add(Join(Path, key), item, "must contain only non-empty single values.");
            }
        }
        return items;
    }

    public IReadOnlyDictionary<string, string>? Map(string key)
    {
        var node = Raw(key);
        if (node is null)
        {
            return null;
        }
        if (node is not YamlMappingNode mapping)
        {
            _problems.Add(Join(Path, key), node, "must be a mapping, for example { 'Lincoln High': Main }.");
            return null;
        }
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in mapping.Children)
        {
            string? name = (entry.Key as YamlScalarNode)?.Value;
            string? value = (entry.Value as YamlScalarNode)?.Value;
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(value))
            {
                _problems.Add(Join(Path, key), entry.Key, "entries must map a non-empty name to a non-empty value.");
                continue;
            }
            if (map.ContainsKey(name!.Trim()))
            {
                _problems.Add(Join(Path, key + "." + name), entry.Key, "appears twice.");
                continue;
            }
            map[name.Trim()] = value!.Trim();
        }
        return map;
    }

    public Uri? Url(string key, bool required = false)
    {
        string? text = String(key, required);
        if (text is null)
        {
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            _problems.Add(Join(Path, key), Raw(key), $"must be an absolute https:// URL, not '{text}'.");
            return null;
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            _problems.Add(Join(Path, key), Raw(key), "must not contain a user name or password; put credentials in the auth settings.");
            return null;
        }
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            _problems.Add(Join(Path, key), Raw(key), "must use https://; plain http:// is allowed only for loopback test servers.");
            return null;
        }
        return uri;
    }

    /// <summary>
    /// Reads a group name template (<c>import.groupName</c>). A problem in it is reported at the column of the brace or
    /// field it concerns; an unquoted template, which YAML reads as a mapping, is told to be quoted.
    /// </summary>
    public Eligibility.GroupNameTemplate? GroupNameTemplate(string key)
    {
        var node = Raw(key);
        if (node is YamlMappingNode)
        {
            _problems.Add(Join(Path, key), node, "must be quoted: YAML reads an unquoted {...} as a mapping. Write it as groupName: '{classCode} {title}'.");
            return null;
        }
        string? text = String(key);
        if (text is null)
        {
            return null;
        }
        if (Eligibility.GroupNameTemplate.TryParse(text, out var template, out var problem))
        {
            return template;
        }
        var scalar = (YamlScalarNode)node!;
        long column = scalar.Start.Column;
        if (scalar.Start.Line == scalar.End.Line)
        {
            // Exact for a plain scalar and for quoted text without escapes before the problem, which templates rarely have.
            column += problem!.Offset + (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain ? 0 : 1);
        }
        _problems.Add(Join(Path, key), scalar.Start.Line, column, problem!.Message);
        return null;
    }

    /// <summary>Reads a secret reference. A literal secret is refused, and its value is never echoed.</summary>
    public SecretReference? Secret(string key, string baseDirectory, bool required = false)
    {
        string? text = String(key, required);
        if (text is null)
        {
            return null;
        }
        if (SecretReference.TryParse(text, Join(Path, key), baseDirectory, out var reference))
        {
            return reference;
        }
        _problems.Add(Join(Path, key), Raw(key),
            "holds a literal secret, which is refused: configuration files get copied and shared. Use 'env:VARIABLE_NAME' or 'file:PATH' instead.");
        return null;
    }

    public void Require(bool condition, string key, string message)
    {
        if (!condition)
        {
            _problems.Add(Join(Path, key), _node, message);
        }
    }

    internal static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode s && s.Style == YamlDotNet.Core.ScalarStyle.Plain
        && (s.Value is null || s.Value.Length == 0 || s.Value == "~" || s.Value == "null");

    private static string ClosestKey(string key, IEnumerable<string> allowed) =>
        allowed.Select(a => (a, d: EditDistance.Between(key.ToLowerInvariant(), a.ToLowerInvariant())))
               .Where(x => x.d <= Math.Max(2, x.a.Length / 3))
               .OrderBy(x => x.d)
               .Select(x => x.a)
               .FirstOrDefault() ?? "";
}

/// <summary>Collects configuration problems in file order.</summary>
internal sealed class ConfigurationProblems
{
    private readonly List<ConfigurationProblem> _items = new();
    private readonly string? _file;

    public ConfigurationProblems(string? file) => _file = file;

    public IReadOnlyList<ConfigurationProblem> Items => _items.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList();

    public bool Any => _items.Count > 0;

    public void Add(string key, long line, long column, string message) =>
        _items.Add(new ConfigurationProblem(_file, key, line, column, message));

    public void Add(string key, YamlNode? node, string message)
    {
        long line = node is null ? 0 : node.Start.Line;
        long column = node is null ? 0 : node.Start.Column;
        _items.Add(new ConfigurationProblem(_file, key, line, column, message));
    }
}
