import BertSentCore

/// What reading or writing a model's files (config.json, safetensors weights, the shard index) throws,
/// naming the file and the field or tensor. Plain read and write failures are `FileError`s.
public enum FormatError: BertSentError, Equatable {
    // MARK: config.json

    /// config.json (`file`, nil for JSON not read from a file) has a value bertsent cannot use.
    case invalidConfig(file: String?, ConfigProblem)
    /// Class names given for a classifier are empty or not distinct.
    case invalidClassNames([String])
    /// `head` cannot score this many classes (softmax needs two or more, sigmoid exactly two).
    case classCountUnfitForHead([String], head: ClassifierHead)

    // MARK: safetensors

    /// The file is shorter than the 8-byte header length (`size` bytes in all).
    case notSafeTensors(file: String, size: Int)
    /// The header length read from the first 8 bytes does not fit in the file's `size` bytes.
    case headerLengthOutOfRange(file: String, headerLength: UInt64, size: Int)
    /// The JSON header is malformed: not an object (`entry` nil), or its entry `entry` lacks a field.
    case malformedHeader(file: String, entry: String?)
    /// Tensor `tensor` has a dtype safetensors does not define.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// Tensor `tensor`'s shape and `dataOffsets` disagree: a negative dimension, reversed offsets, or a
    /// byte span other than the shape's size in `dtype`.
    case invalidTensorExtent(file: String, tensor: String, dtype: SafeTensorsDType, shape: [Int], dataOffsets: [Int])
    /// Tensor `tensor` starts at byte `start` of the data section, where the previous one ended at `expected`.
    case tensorLayoutGap(file: String, tensor: String, start: Int, expected: Int)
    /// The tensors cover `covered` bytes of a data section of `size` bytes: truncated, or trailing bytes.
    case dataSectionMismatch(file: String, covered: Int, size: Int)
    /// The file has no tensor named `tensor`.
    case missingTensor(file: String, tensor: String)
    /// Tensor `tensor` has `count` elements; the reader wanted `expected`.
    case elementCountMismatch(file: String, tensor: String, count: Int, expected: Int)
    /// Tensor `tensor` has dtype `dtype`; the reader takes only `expected`.
    case unsupportedDType(file: String, tensor: String, dtype: SafeTensorsDType, expected: [SafeTensorsDType])
    /// A tensor to write has `values` values, not the product of its `shape`: a caller's mistake.
    case valueCountMismatch(file: String, tensor: String, values: Int, shape: [Int])

    // MARK: model folders and shards

    /// The folder has only `pytorch_model.bin` weights, which bertsent does not read.
    case unsupportedWeightFormat(folder: String)
    /// The folder has neither model.safetensors nor model.safetensors.index.json.
    case noWeights(folder: String)
    /// model.safetensors.index.json has no object field `weight_map` of tensor → file.
    case malformedShardIndex(file: String)
    /// The shard index maps `tensor` to `shard`, which is not a plain file name inside the folder.
    case invalidShardName(file: String, tensor: String, shard: String)
    /// The shard index lists `tensor` in the shard `file`, which lacks it.
    case tensorMissingFromShard(file: String, tensor: String)

    /// What is wrong with a config.json, naming the field.
    public enum ConfigProblem: Sendable, Equatable {
        /// The JSON is not an object.
        case notAnObject
        /// `field` must be `expected` (a type or a range); `found` is the value as read.
        case invalidValue(field: String, expected: String, found: String)
        /// `field` is `value`, an option bertsent does not implement; `supported` says what it does.
        case unsupportedValue(field: String, value: String, supported: String)
        /// `num_labels` is `numLabels` but `id2label` has `labels` labels.
        case labelCountMismatch(numLabels: Int, labels: Int)
        /// `hidden_size` is not a multiple of `num_attention_heads`.
        case hiddenSizeNotDivisible(hiddenSize: Int, heads: Int)
        /// An `id2label` key is not one of the integers 0..<`count`.
        case invalidLabelKey(key: String, count: Int)
        /// `id2label` names no label.
        case noLabels
    }

    public var category: ErrorCategory {
        switch self {
        case .noWeights: .fileUnavailable
        case .valueCountMismatch: .internal
        default: .invalidInput
        }
    }

    /// The same error attributed to `file`, for config problems found before the file was known.
    func inFile(_ file: String) -> FormatError {
        guard case .invalidConfig(nil, let problem) = self else { return self }
        return .invalidConfig(file: file, problem)
    }

    /// The file or folder the message is prefixed with.
    private var location: String? {
        switch self {
        case .invalidConfig(let file, _): file
        case .invalidClassNames, .classCountUnfitForHead: nil
        case .notSafeTensors(let file, _), .headerLengthOutOfRange(let file, _, _), .malformedHeader(let file, _),
            .unknownDType(let file, _, _), .invalidTensorExtent(let file, _, _, _, _),
            .tensorLayoutGap(let file, _, _, _),
            .dataSectionMismatch(let file, _, _), .missingTensor(let file, _), .elementCountMismatch(let file, _, _, _),
            .unsupportedDType(let file, _, _, _), .valueCountMismatch(let file, _, _, _),
            .malformedShardIndex(let file),
            .invalidShardName(let file, _, _), .tensorMissingFromShard(let file, _):
            file
        case .unsupportedWeightFormat(let folder), .noWeights(let folder): folder
        }
    }

    private var message: String {
        switch self {
        case .invalidConfig(_, let problem): problem.message
        case .invalidClassNames(let classes): "class names must be distinct and not empty, got \(classes)"
        case .classCountUnfitForHead(let classes, let head):
            head == .sigmoid
                ? "a sigmoid head needs exactly two classes, got \(classes)"
                : "a softmax head needs at least two classes, got \(classes)"
        case .notSafeTensors(_, let size):
            "not a safetensors file: \(size) bytes, shorter than the 8-byte header length"
        case .headerLengthOutOfRange(_, let headerLength, let size):
            "truncated or malformed safetensors file: header length \(headerLength) does not fit in \(size) bytes"
        case .malformedHeader(_, nil): "malformed safetensors header: not a JSON object"
        case .malformedHeader(_, "__metadata__"?):
            "malformed safetensors header: '__metadata__' must map strings to strings"
        case .malformedHeader(_, let tensor?):
            "malformed safetensors header entry for tensor '\(tensor)': needs dtype, shape and data_offsets [begin, end]"
        case .unknownDType(_, let tensor, let dtype): "tensor '\(tensor)' has unknown dtype '\(dtype)'"
        case .invalidTensorExtent(_, let tensor, let dtype, let shape, let offsets):
            if shape.contains(where: { $0 < 0 }) || offsets.count != 2 || offsets[0] < 0 || offsets[0] > offsets[1] {
                "tensor '\(tensor)' has a negative dimension or reversed data_offsets"
            } else {
                Self.extentMessage(tensor: tensor, dtype: dtype, shape: shape, span: offsets[1] - offsets[0])
            }
        case .tensorLayoutGap(_, let tensor, let start, let expected):
            "tensor '\(tensor)' starts at byte \(start) of the data section, expected \(expected) (gap or overlap)"
        case .dataSectionMismatch(_, let covered, let size):
            covered > size
                ? "truncated safetensors file: tensors need \(covered) data bytes but only \(size) are present"
                : "safetensors data section has \(size - covered) trailing bytes not covered by any tensor"
        case .missingTensor(_, let tensor): "no tensor named '\(tensor)'"
        case .elementCountMismatch(_, let tensor, let count, let expected):
            "tensor '\(tensor)' has \(count) elements, expected \(expected)"
        case .unsupportedDType(_, let tensor, let dtype, let expected):
            expected.contains(.f32)
                ? "tensor '\(tensor)' has dtype \(dtype.rawValue); only \(Self.list(expected, "and")) can be read as floats"
                : "tensor '\(tensor)' has dtype \(dtype.rawValue), expected \(Self.list(expected, "or"))"
        case .valueCountMismatch(_, let tensor, let values, let shape):
            "tensor '\(tensor)' has \(values) values for shape \(shape)"
        case .unsupportedWeightFormat:
            "only safetensors weights are supported; this folder has pytorch_model.bin (convert it with transformers: model.save_pretrained(dir, safe_serialization=True))"
        case .noWeights: "no \(CheckpointTensors.singleFile) or \(SafeTensorsIndex.fileName) in the model folder"
        case .malformedShardIndex: "malformed shard index: needs an object field 'weight_map' of tensor → file"
        case .invalidShardName(_, let tensor, let shard):
            "field 'weight_map.\(tensor)' names '\(shard)', which is not a file in the model folder"
        case .tensorMissingFromShard(_, let tensor):
            "tensor '\(tensor)' is listed in \(SafeTensorsIndex.fileName) but missing"
        }
    }

    public var description: String { location.map { "\($0): \(message)" } ?? message }

    private static func extentMessage(tensor: String, dtype: SafeTensorsDType, shape: [Int], span: Int) -> String {
        let (elements, overflow) = shape.reduce((1, false)) { product, dimension in
            let (value, overflow) = product.0.multipliedReportingOverflow(by: dimension)
            return (value, product.1 || overflow)
        }
        let (bytes, bytesOverflow) = elements.multipliedReportingOverflow(by: dtype.size)
        let needed = overflow || bytesOverflow ? "too many" : String(bytes)
        return
            "tensor '\(tensor)': shape \(shape) of \(dtype.rawValue) needs \(needed) bytes but data_offsets span \(span)"
    }

    /// "F32, F16 and BF16".
    private static func list(_ dtypes: [SafeTensorsDType], _ conjunction: String) -> String {
        let names = dtypes.map(\.rawValue)
        guard names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " \(conjunction) " + names.last!
    }
}

extension FormatError.ConfigProblem {
    /// The problem, naming the field.
    var message: String {
        switch self {
        case .notAnObject: "not a JSON object"
        case .invalidValue(let field, let expected, let found): "field '\(field)' must be \(expected), got \(found)"
        case .unsupportedValue(let field, let value, let supported):
            "field '\(field)' is '\(value)'; only \(supported) is supported"
        case .labelCountMismatch(let numLabels, let labels):
            "field 'num_labels' is \(numLabels) but 'id2label' has \(labels) labels"
        case .hiddenSizeNotDivisible(let hiddenSize, let heads):
            "field 'hidden_size' (\(hiddenSize)) is not a multiple of 'num_attention_heads' (\(heads))"
        case .invalidLabelKey(let key, let count):
            "field 'id2label' has key '\(key)'; keys must be the integers 0..<\(count)"
        case .noLabels: "field 'id2label' must name at least one label"
        }
    }
}
