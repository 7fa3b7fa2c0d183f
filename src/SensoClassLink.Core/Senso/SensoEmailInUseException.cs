using System;

namespace SensoClassLink.Core.Senso;

/// <summary>
/// A rename was refused because the new email is already the username of another Senso account.
/// Nothing was changed. The message names the email (the account's own identifier), never anything else about either user.
/// </summary>
public sealed class SensoEmailInUseException : Exception
{
    public SensoEmailInUseException(string email)
        : base($"The email '{email}' already belongs to another Senso account; the user was not renamed.")
    {
        Email = email;
    }

    /// <summary>The email asked for (normalized).</summary>
    public string Email { get; }
}
