namespace InferenceServer.Engine.Embeddings;

/// <summary>How token vectors become one sentence vector (sentence-transformers' <c>1_Pooling/config.json</c>).</summary>
public enum PoolingMode
{
    /// <summary>Average of the token vectors under the attention mask.</summary>
    Mean,

    /// <summary>The first token's vector (<c>[CLS]</c>).</summary>
    Cls,

    /// <summary>Element-wise maximum over the masked tokens.</summary>
    Max,
}
