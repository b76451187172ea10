/// Strict UTF-8 decoding that reports where the first invalid byte sequence starts.
enum UTF8Validation {
    /// The bytes as a string, or the 0-based offset of the first byte that is not valid UTF-8.
    static func decode(_ bytes: some Collection<UInt8>) -> Result<String, InvalidUTF8> {
        var iterator = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        var scalars = String.UnicodeScalarView()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                scalars.append(scalar)
                offset += Unicode.UTF8.width(scalar)
            case .emptyInput:
                return .success(String(scalars))
            case .error:
                return .failure(InvalidUTF8(offset: offset))
            }
        }
    }

    /// Where a byte sequence stops being UTF-8.
    struct InvalidUTF8: Error, Equatable {
        /// 0-based offset of the first byte of the invalid sequence.
        var offset: Int
    }
}
