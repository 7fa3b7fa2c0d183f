using System;
using System.Collections.Generic;
using System.Linq;
using SensoClassLink.Core.Senso;

namespace SensoClassLink.Models;

/// <summary>A Senso role, as Get-SensoRole shows it.</summary>
public sealed class SensoRoleInfo
{
    public SensoRoleInfo(string id, string name)
    {
        Id = id;
        Name = name;
    }

    public string Id { get; }
    public string Name { get; }

    public override string ToString() => Name;
}

/// <summary>A Senso site, as Get-SensoSite shows it.</summary>
public sealed class SensoSiteInfo
{
    public SensoSiteInfo(string id, string name)
    {
        Id = id;
        Name = name;
    }

    public string Id { get; }
    public string Name { get; }

    public override string ToString() => Name;
}

/// <summary>A Senso user account. Binds by property name (Email) to Get-SensoGroup -Owner and the import commands.</summary>
public sealed class SensoUserInfo
{
    internal SensoUserInfo(SensoUser user)
    {
        Id = user.Id;
        Email = user.Email;
        DisplayName = user.DisplayName;
        Role = user.Role;
        Site = user.Site;
        Source = user.Source;
        SourcedIds = user.SourcedIds.ToArray();
        CreatedAt = user.CreatedAt;
        Status = user.Status;
    }

    public string Id { get; }
    /// <summary>The username: the (lower-case) email.</summary>
    public string Email { get; }
    public string DisplayName { get; }
    public string Role { get; }
    public string Site { get; }
    /// <summary>"classlink" for accounts this module created.</summary>
    public string Source { get; }
    public string[] SourcedIds { get; }
    public DateTimeOffset CreatedAt { get; }
    /// <summary>Active, or Suspended (a departed teacher: kept, cannot sign in).</summary>
    public SensoUserStatus Status { get; }

    public override string ToString() => Email;
}

/// <summary>A ClassLink class group in Senso: key (class sourcedId), name, owner (teacher) emails and members.</summary>
public sealed class SensoGroupInfo
{
    internal SensoGroupInfo(SensoGroup group)
    {
        Key = group.Key;
        Name = group.Name;
        Owners = group.Owners.ToArray();
        Members = group.Members.ToArray();
    }

    public string Key { get; }
    public string Name { get; }
    public string[] Owners { get; }
    /// <summary>Student emails, or student sourcedIds for students without an email.</summary>
    public string[] Members { get; }
    public int MemberCount => Members.Length;

    public override string ToString() => $"{Name} ({Key})";
}
