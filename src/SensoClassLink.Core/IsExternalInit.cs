namespace System.Runtime.CompilerServices;

/// <summary>Lets netstandard2.0 code use init-only properties (the type ships only with .NET 5+).</summary>
internal static class IsExternalInit
{
}
