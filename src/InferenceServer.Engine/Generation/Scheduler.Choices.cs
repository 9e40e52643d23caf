namespace InferenceServer.Engine.Generation;

/// <summary>
/// A request's <c>n</c> choices share one prefill: the leader (choice 0) computes the prompt; when it is done, every
/// follower already in a row gets a copy of the leader's prompt KV, and one still waiting gets it from a snapshot
/// when it is admitted. Each follower then samples its first token from the leader's last logits, with its own sampler.
/// </summary>
internal sealed partial class Scheduler
{
    /// <summary>Prompt tokens a prefilling row still has to compute: none for a follower.</summary>
    private static int PendingPrefill(Sequence s) => s.IsFollower ? 0 : s.Prompt.Length - s.Length;

    /// <summary>A follower in a row: the shared prompt if the leader has computed it, else an empty row until then.</summary>
    private void AdmitFollower(Sequence f)
    {
        var group = f.Group;
        f.Length = 0;
        if (group.Prefilled)
        {
            _decoder.Kv.Load(f.Row, 0, f.Prompt.Length, group.PromptKv!);
            f.Length = f.Prompt.Length;
            f.CachedTokens = group.CachedTokens;
            if (group.Unadmitted == 0)
            {
                group.PromptKv = null;
            }
        }

        _decoder.SetRowLength(f.Row, f.Length);
    }

    /// <summary>The leader's prompt is in its row: hand it to the followers (before sampling changes the leader's logits).</summary>
    private void LeaderPrefilled(Sequence leader)
    {
        var group = leader.Group;
        group.LeaderPrefilled(_decoder.Logits(leader.Row), leader.CachedTokens);
        if (group.Choices == 1)
        {
            return;
        }

        var length = leader.Prompt.Length;
        foreach (var f in _prefilling)
        {
            if (f.Group == group && f.IsFollower)
            {
                _decoder.CopyRow(leader.Row, f.Row, length);
                f.Length = length;
                f.CachedTokens = group.CachedTokens;
            }
        }

        if (group.Unadmitted > 0)
        {
            group.PromptKv = new byte[_decoder.Kv.BlockBytes(length)];
            _decoder.Kv.Save(leader.Row, 0, length, group.PromptKv);
        }
    }

    /// <summary>A follower whose row holds the shared prompt starts decoding: its first token from the leader's logits.</summary>
    private void Fork(Sequence f)
    {
        f.Group.PromptLogits.AsSpan().CopyTo(_decoder.Logits(f.Row));
        Promote(f);
        SampleAndEmit(f);
    }
}
