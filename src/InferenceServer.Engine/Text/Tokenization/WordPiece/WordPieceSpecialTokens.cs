namespace InferenceServer.Engine.Text.Tokenization.WordPiece;

/// <summary>The ids of <c>[UNK]</c>, <c>[CLS]</c>, <c>[SEP]</c> and <c>[PAD]</c> (or whatever the folder names them).</summary>
internal sealed record WordPieceSpecialTokens(int UnknownId, int ClassifierId, int SeparatorId, int PadId);
