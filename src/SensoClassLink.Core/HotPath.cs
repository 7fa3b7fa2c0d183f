using System.Runtime.CompilerServices;

namespace SensoClassLink.Core;

/// <summary>
/// MethodImplOptions.AggressiveOptimization (512), which netstandard2.0 does not name. Inside a busy PowerShell
/// process the tiered JIT keeps per-row methods at tier 0 for seconds (it waits for JIT activity to settle); the
/// methods run once per roster row are compiled fully optimized at once instead. Ignored by .NET Framework.
/// </summary>
internal static class HotPath
{
    public const MethodImplOptions Optimize = (MethodImplOptions)512;
}
