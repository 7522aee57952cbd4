namespace CrmGuardrails.Matching.Scoring;

/// <summary>Bounded optimal-string-alignment distance (Damerau-Levenshtein with adjacent swaps), for typos.</summary>
internal static class EditDistance
{
    /// <summary>Tells whether two strings are at most <paramref name="max"/> edits apart.</summary>
    public static bool Within(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max)
            return false;
        if (a.Length > 64 || b.Length > 64)
            return string.Equals(a, b, StringComparison.Ordinal);
        return Distance(a, b, max) <= max;
    }

    /// <summary>Computes the distance, stopping early once it exceeds <paramref name="max"/>.</summary>
    public static int Distance(string a, string b, int max)
    {
        var n = a.Length;
        var m = b.Length;
        // Three rows on the stack for the short words compared here (Within caps them at 64 characters).
        var previous2 = m < 128 ? stackalloc int[m + 1] : new int[m + 1];
        var previous = m < 128 ? stackalloc int[m + 1] : new int[m + 1];
        var current = m < 128 ? stackalloc int[m + 1] : new int[m + 1];
        for (var j = 0; j <= m; j++)
            previous[j] = j;
        for (var i = 1; i <= n; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= m; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    value = Math.Min(value, previous2[j - 2] + 1);
                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }

            if (rowMin > max)
                return max + 1;
            var recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }

        return previous[m];
    }
}
