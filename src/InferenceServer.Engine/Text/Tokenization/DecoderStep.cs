using System.Text.RegularExpressions;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>One per-token decoder step (before any Fuse).</summary>
internal sealed record DecoderStep(DecoderKind Kind, string From = "", string To = "", Regex? Pattern = null, int Start = 0, int Stop = 0);
