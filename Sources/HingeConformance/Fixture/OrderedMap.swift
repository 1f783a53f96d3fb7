/// A string-keyed map that remembers the order its keys were first written in.
///
/// Fixtures are read and re-written by people: keeping the author's order of
/// JSON object keys, inputs and outputs keeps reports and diffs readable. A key
/// written again keeps its first position and takes the new value, as a Python
/// `dict` built by `json.load` does with a duplicated key.
public struct OrderedMap<Value>: Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var keys: [String] = []
    private var values: [String: Value] = [:]

    public init() {}

    public init(dictionaryLiteral elements: (String, Value)...) {
        for (key, value) in elements { self[key] = value }
    }

    public subscript(key: String) -> Value? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public func makeIterator() -> AnyIterator<(key: String, value: Value)> {
        var iterator = keys.makeIterator()
        let values = self.values
        return AnyIterator {
            guard let key = iterator.next(), let value = values[key] else { return nil }
            return (key, value)
        }
    }
}

extension OrderedMap: Sendable where Value: Sendable {}
extension OrderedMap: Equatable where Value: Equatable {}
extension OrderedMap: Hashable where Value: Hashable {}
