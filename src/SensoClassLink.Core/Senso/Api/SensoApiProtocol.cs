using System;
using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace SensoClassLink.Core.Senso.Api;

/// <summary>The wire shapes of docs/senso-api.md, shared by the client and the loopback contract server.</summary>
public static class SensoApiProtocol
{
    public const string ProblemContentType = "application/problem+json";
    public const string UnknownNameProblem = "urn:senso:problem:unknown-name";
    public const string UserNotFoundProblem = "urn:senso:problem:user-not-found";
    public const string EmailInUseProblem = "urn:senso:problem:email-in-use";
    public const string ValidationProblem = "urn:senso:problem:validation";
    public const string UnauthorizedProblem = "urn:senso:problem:unauthorized";
    public const string RateLimitedProblem = "urn:senso:problem:rate-limited";

    /// <summary>camelCase, no type names, bounded depth (a hostile body cannot nest without limit).</summary>
    public static readonly JsonSerializerSettings Json = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        TypeNameHandling = TypeNameHandling.None,
        MaxDepth = 32,
        NullValueHandling = NullValueHandling.Include,
        DateParseHandling = DateParseHandling.DateTimeOffset,
        // Enums travel as camelCase names ("active", "suspended"), read case-insensitively; a user without one is active.
        Converters = { new StringEnumConverter(new CamelCaseNamingStrategy()) { AllowIntegerValues = false } },
    };

    public static string Serialize(object value) => JsonConvert.SerializeObject(value, Json);

    public static T Deserialize<T>(string json) => JsonConvert.DeserializeObject<T>(json, Json)
        ?? throw new JsonSerializationException("The body is empty (null).");
}

/// <summary>GET /users answers.</summary>
public sealed class UserPageDto
{
    public List<SensoUser> Users { get; set; } = new();
    public int Total { get; set; }
}

/// <summary>PATCH /users/{id} body: the new username.</summary>
public sealed class UserRenameDto
{
    public string Email { get; set; } = "";
}

/// <summary>PATCH /users/{id} body: the new status (a separate body from a rename, so a rename's bytes are unchanged).</summary>
public sealed class UserStatusDto
{
    public SensoUserStatus Status { get; set; }
}

/// <summary>PUT /users/{id}/groups body.</summary>
public sealed class GroupSetDto
{
    public List<SensoGroup> Groups { get; set; } = new();
}

/// <summary>PUT /users/{id}/groups answer.</summary>
public sealed class GroupDiffDto
{
    public List<string> Added { get; set; } = new();
    public List<string> Removed { get; set; } = new();
    public List<string> Updated { get; set; } = new();
    public List<string> Unchanged { get; set; } = new();
}

/// <summary>An RFC 9457 problem document, with the unknown-name extension members.</summary>
public sealed class ProblemDto
{
    public string? Type { get; set; }
    public string? Title { get; set; }
    public int Status { get; set; }
    public string? Detail { get; set; }
    public string? Kind { get; set; }
    public string? Requested { get; set; }
    public List<string>? Closest { get; set; }
}
