namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// What a connection check found of the Roster Server's OneRoster field selection (<c>fields=</c>), which the module
/// asks for on every page unless <c>classlink.api.fieldSelection</c> is false. Whole records read the same; they cost
/// more to send and to read.
/// </summary>
public enum FieldSelectionSupport
{
    /// <summary>No record came back to tell (an empty district, or every count failed).</summary>
    Unknown,

    /// <summary>classlink.api.fieldSelection is false: the module asks for whole records.</summary>
    Off,

    /// <summary>The records came back with only the fields asked for.</summary>
    Honoured,

    /// <summary>The server answered whole records, as if it had not been asked.</summary>
    Ignored,

    /// <summary>The server answered HTTP 400 invalid_selection_field; the module reads whole records from then on.</summary>
    Refused,
}
