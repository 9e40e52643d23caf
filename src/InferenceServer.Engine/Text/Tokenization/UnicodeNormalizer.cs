using System.Globalization;
using System.Text;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// Managed Unicode normalization (NFC, NFD, NFKC, NFKD). The server runs with InvariantGlobalization, where
/// <see cref="string.Normalize()"/> silently returns its input, so tokenizers that normalize need their own tables.
/// </summary>
internal static class UnicodeNormalizer
{
    private const int SBase = 0xAC00;
    private const int LBase = 0x1100;
    private const int VBase = 0x1161;
    private const int TBase = 0x11A7;
    private const int LCount = 19;
    private const int VCount = 21;
    private const int TCount = 28;
    private const int NCount = VCount * TCount;
    private const int SCount = LCount * NCount;

    private static readonly Lazy<Tables> Data = new(Tables.Parse);

    public static string Normalize(string text, NormalizationForm form)
    {
        bool compatibility = form is NormalizationForm.FormKC or NormalizationForm.FormKD;
        bool compose = form is NormalizationForm.FormC or NormalizationForm.FormKC;
        if (IsTriviallyNormalized(text, compatibility ? 0xA0 : compose ? 0x300 : 0xC0))
        {
            return text;
        }

        Tables tables = Data.Value;
        var points = new List<int>(text.Length + 8);
        foreach (Rune rune in text.EnumerateRunes())
        {
            Decompose(rune.Value, compatibility, tables, points);
        }

        ReorderMarks(points, tables);
        if (compose)
        {
            Compose(points, tables);
        }

        var builder = new StringBuilder(points.Count + 8);
        foreach (int point in points)
        {
            builder.Append(new Rune(point).ToString());
        }

        return builder.ToString();
    }

    /// <summary>No character below <paramref name="limit"/> changes under the form being applied.</summary>
    private static bool IsTriviallyNormalized(string text, int limit)
    {
        foreach (char c in text)
        {
            if (c >= limit)
            {
                return false;
            }
        }

        return true;
    }

    private static void Decompose(int point, bool compatibility, Tables tables, List<int> output)
    {
        if (point is >= SBase and < SBase + SCount)
        {
            int index = point - SBase;
            output.Add(LBase + index / NCount);
            output.Add(VBase + index % NCount / TCount);
            if (index % TCount != 0)
            {
                output.Add(TBase + index % TCount);
            }

            return;
        }

        if ((compatibility && tables.Compatibility.TryGetValue(point, out int[]? mapped))
            || tables.Canonical.TryGetValue(point, out mapped))
        {
            output.AddRange(mapped);
            return;
        }

        output.Add(point);
    }

    private static void ReorderMarks(List<int> points, Tables tables)
    {
        for (int i = 1; i < points.Count; i++)
        {
            int ccc = tables.CombiningClass(points[i]);
            if (ccc == 0)
            {
                continue;
            }

            int j = i;
            while (j > 0 && tables.CombiningClass(points[j - 1]) > ccc)
            {
                (points[j - 1], points[j]) = (points[j], points[j - 1]);
                j--;
            }
        }
    }

    private static void Compose(List<int> points, Tables tables)
    {
        if (points.Count == 0)
        {
            return;
        }

        int starterIndex = tables.CombiningClass(points[0]) == 0 ? 0 : -1;
        int lastClass = starterIndex == 0 ? 0 : 256;
        int write = 1;
        for (int read = 1; read < points.Count; read++)
        {
            int point = points[read];
            int ccc = tables.CombiningClass(point);
            bool blocked = lastClass != 0 && lastClass >= ccc;
            if (starterIndex >= 0 && !blocked && TryCompose(points[starterIndex], point, tables, out int composite))
            {
                points[starterIndex] = composite;
                continue;
            }

            if (ccc == 0)
            {
                starterIndex = write;
            }

            lastClass = ccc;
            points[write++] = point;
        }

        points.RemoveRange(write, points.Count - write);
    }

    private static bool TryCompose(int first, int second, Tables tables, out int composite)
    {
        if (first is >= LBase and < LBase + LCount && second is >= VBase and < VBase + VCount)
        {
            composite = SBase + ((first - LBase) * VCount + (second - VBase)) * TCount;
            return true;
        }

        if (first is >= SBase and < SBase + SCount && (first - SBase) % TCount == 0 && second is > TBase and < TBase + TCount)
        {
            composite = first + (second - TBase);
            return true;
        }

        return tables.Composites.TryGetValue(((long)first << 32) | (uint)second, out composite);
    }

    private sealed class Tables
    {
        public Dictionary<int, int> Classes { get; } = [];

        public Dictionary<int, int[]> Canonical { get; } = [];

        public Dictionary<int, int[]> Compatibility { get; } = [];

        public Dictionary<long, int> Composites { get; } = [];

        public int CombiningClass(int point) => Classes.TryGetValue(point, out int ccc) ? ccc : 0;

        public static Tables Parse()
        {
            var tables = new Tables();
            foreach (string entry in Entries(UnicodeNormalizationData.CombiningClasses))
            {
                int colon = entry.IndexOf(':', StringComparison.Ordinal);
                tables.Classes[Hex(entry[..colon])] = int.Parse(entry[(colon + 1)..], CultureInfo.InvariantCulture);
            }

            foreach (string entry in Entries(UnicodeNormalizationData.Decompositions))
            {
                int separator = entry.IndexOfAny(['=', '~']);
                int[] mapped = entry[(separator + 1)..].Split('.').Select(Hex).ToArray();
                (entry[separator] == '=' ? tables.Canonical : tables.Compatibility)[Hex(entry[..separator])] = mapped;
            }

            foreach (KeyValuePair<int, int[]> canonical in tables.Canonical)
            {
                tables.Compatibility.TryAdd(canonical.Key, canonical.Value);
            }

            foreach (string entry in Entries(UnicodeNormalizationData.Compositions))
            {
                int separator = entry.IndexOf('=', StringComparison.Ordinal);
                int[] pair = entry[(separator + 1)..].Split('.').Select(Hex).ToArray();
                tables.Composites[((long)pair[0] << 32) | (uint)pair[1]] = Hex(entry[..separator]);
            }

            return tables;
        }

        private static string[] Entries(string data) =>
            data.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

        private static int Hex(string text) => int.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }
}
