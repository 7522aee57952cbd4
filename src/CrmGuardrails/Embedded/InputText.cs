namespace CrmGuardrails.Embedded;

/// <summary>
/// The text encodings every reader of the formats accepts, decided once from the first bytes: UTF-8 (with or without a
/// byte-order mark) and UTF-16 with a byte-order mark (what Windows PowerShell 5 and Notepad's "Unicode" write), read
/// strictly and handed on as UTF-8. UTF-32 and UTF-16 without a mark are refused with a message saying to save the file
/// as UTF-8, rather than read as garbage.
/// </summary>
internal static class InputText
{
    /// <summary>Returns the content as UTF-8 without a byte-order mark (for a seekable UTF-8 stream: the stream itself, moved past the mark).</summary>
    /// <exception cref="InputFormatException">The text is UTF-32, or UTF-16 without a byte-order mark.</exception>
    public static Stream Utf8(Stream raw, string file)
    {
        if (raw is null)
            throw new ArgumentNullException(nameof(raw));
        var start = raw.CanSeek ? raw.Position : 0;
        var head = new byte[4];
        var count = 0;
        while (count < head.Length)
        {
            var read = raw.Read(head, count, head.Length - count);
            if (read == 0)
                break;
            count += read;
        }

        var (kind, skip) = Classify(head, count);
        switch (kind)
        {
            case Kind.Utf32:
                throw new InputFormatException(file, 0, string.Empty, "is UTF-32 text; save the file as UTF-8.");
            case Kind.Utf16WithoutMark:
                throw new InputFormatException(file, 0, string.Empty, "looks like UTF-16 text without a byte-order mark; save the file as UTF-8.");
        }

        Stream rest;
        if (raw.CanSeek)
        {
            raw.Position = start + skip;
            rest = raw;
        }
        else
        {
            rest = new PrefixedStream(head, skip, count, raw);
        }

        return kind == Kind.Utf8 ? rest : new Utf16Stream(rest, bigEndian: kind == Kind.Utf16BigEndian, file);
    }

    private enum Kind
    {
        Utf8,
        Utf16LittleEndian,
        Utf16BigEndian,
        Utf16WithoutMark,
        Utf32,
    }

    private static (Kind Kind, int Skip) Classify(byte[] b, int count)
    {
        if (count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
            return (Kind.Utf8, 3);
        if (count >= 4 && ((b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) || (b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)))
            return (Kind.Utf32, 0);
        if (count >= 2 && b[0] == 0xFF && b[1] == 0xFE)
            return (Kind.Utf16LittleEndian, 2);
        if (count >= 2 && b[0] == 0xFE && b[1] == 0xFF)
            return (Kind.Utf16BigEndian, 2);

        // Every format starts with an ASCII character ('{', a column name); in UTF-16 its other half is a zero byte.
        if (count >= 2 && (b[0] == 0) != (b[1] == 0))
            return (Kind.Utf16WithoutMark, 0);
        return (Kind.Utf8, 0);
    }

    /// <summary>The bytes read ahead to decide the encoding, then the rest of the stream.</summary>
    private sealed class PrefixedStream(byte[] head, int start, int end, Stream rest) : ReadOnlyStream
    {
        private int _position = start;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position < end)
            {
                var n = Math.Min(count, end - _position);
                Array.Copy(head, _position, buffer, offset, n);
                _position += n;
                return n;
            }

            return rest.Read(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                rest.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>UTF-16 in, UTF-8 out; an unpaired surrogate or a dangling byte is refused, naming its line.</summary>
    private sealed class Utf16Stream(Stream source, bool bigEndian, string file) : ReadOnlyStream
    {
        private readonly byte[] _in = new byte[1 << 15];
        private readonly byte[] _out = new byte[(1 << 15) * 2];
        private int _inStart;
        private int _inEnd;
        private int _outStart;
        private int _outEnd;
        private bool _eof;
        private int _line = 1;

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_outStart == _outEnd)
            {
                if (!Decode())
                    return 0;
            }

            var n = Math.Min(count, _outEnd - _outStart);
            Array.Copy(_out, _outStart, buffer, offset, n);
            _outStart += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                source.Dispose();
            base.Dispose(disposing);
        }

        private bool Decode()
        {
            if (_inEnd - _inStart < 4 && !_eof)
            {
                Array.Copy(_in, _inStart, _in, 0, _inEnd - _inStart);
                _inEnd -= _inStart;
                _inStart = 0;
                var read = source.Read(_in, _inEnd, _in.Length - _inEnd);
                if (read == 0)
                    _eof = true;
                _inEnd += read;
            }

            if (_eof && _inEnd - _inStart < 2)
            {
                if (_inEnd - _inStart == 1)
                    throw new InputFormatException(file, _line, string.Empty, "is not valid UTF-16 text: it ends in the middle of a character; save the file as UTF-8.");
                return false;
            }

            _outStart = 0;
            _outEnd = 0;
            while (_inEnd - _inStart >= 2 && _outEnd <= _out.Length - 4)
            {
                var unit = Unit(_inStart);
                if (unit is >= 0xD800 and <= 0xDBFF)
                {
                    if (_inEnd - _inStart < 4)
                    {
                        if (_eof)
                            throw Unpaired();
                        break;
                    }

                    var low = Unit(_inStart + 2);
                    if (low is < 0xDC00 or > 0xDFFF)
                        throw Unpaired();
                    var code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    _out[_outEnd++] = (byte)(0xF0 | (code >> 18));
                    _out[_outEnd++] = (byte)(0x80 | ((code >> 12) & 0x3F));
                    _out[_outEnd++] = (byte)(0x80 | ((code >> 6) & 0x3F));
                    _out[_outEnd++] = (byte)(0x80 | (code & 0x3F));
                    _inStart += 4;
                    continue;
                }

                if (unit is >= 0xDC00 and <= 0xDFFF)
                    throw Unpaired();
                if (unit < 0x80)
                {
                    if (unit == '\n')
                        _line++;
                    _out[_outEnd++] = (byte)unit;
                }
                else if (unit < 0x800)
                {
                    _out[_outEnd++] = (byte)(0xC0 | (unit >> 6));
                    _out[_outEnd++] = (byte)(0x80 | (unit & 0x3F));
                }
                else
                {
                    _out[_outEnd++] = (byte)(0xE0 | (unit >> 12));
                    _out[_outEnd++] = (byte)(0x80 | ((unit >> 6) & 0x3F));
                    _out[_outEnd++] = (byte)(0x80 | (unit & 0x3F));
                }

                _inStart += 2;
            }

            return true;
        }

        private int Unit(int at) => bigEndian ? (_in[at] << 8) | _in[at + 1] : _in[at] | (_in[at + 1] << 8);

        private InputFormatException Unpaired() =>
            new(file, _line, string.Empty, "is not valid UTF-16 text: it has a broken character (an unpaired surrogate); save the file as UTF-8.");
    }
}

/// <summary>A forward-only stream to read from.</summary>
internal abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
