import BertSent
import BertSentTestSupport
import Foundation
import Testing

@Suite(.tags(.defaultModel)) struct BertConfigTests {
    func parse(_ json: String) throws -> BertConfig { try BertConfig(json: Data(json.utf8)) }

    /// What `json` is refused for, or nil (and an issue) when it is accepted or fails otherwise.
    func problem(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> FormatError.ConfigProblem? {
        let error = #expect(throws: FormatError.self, sourceLocation: sourceLocation) { try parse(json) }
        guard case .invalidConfig(nil, let problem)? = error else {
            Issue.record("expected a config problem, got \(String(describing: error))", sourceLocation: sourceLocation)
            return nil
        }
        return problem
    }

    /// The field and the expectation of an `invalidValue` problem, as "field: expected".
    func invalidValue(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        guard case .invalidValue(let field, let expected, _)? = problem(json, sourceLocation: sourceLocation) else {
            return nil
        }
        return "\(field): \(expected)"
    }

    @Test func absentFieldsTakeTransformersDefaults() throws {
        let config = try parse("{}")
        #expect(config.hiddenSize == 768 && config.numHiddenLayers == 12 && config.numAttentionHeads == 12)
        #expect(config.intermediateSize == 3072 && config.vocabSize == 30522 && config.maxPositionEmbeddings == 512)
        #expect(
            config.layerNormEps == 1e-12 && config.hiddenDropoutProb == 0.1 && config.effectiveClassifierDropout == 0.1)
        #expect(config.id2label == ["LABEL_0", "LABEL_1"])
    }

    /// DistilBERT's names and defaults (transformers' `DistilBertConfig`), its errors named by its own
    /// fields, and fixed sinusoidal positions refused by name.
    @Test func distilbertConfigsUseTheirOwnNames() throws {
        let defaults = try parse(#"{"model_type": "distilbert"}"#)
        #expect(defaults.architecture == .distilbert && defaults.numHiddenLayers == 6 && defaults.hiddenSize == 768)
        #expect(defaults.typeVocabSize == 0 && defaults.effectiveClassifierDropout == 0.2)
        let small = try parse(
            #"{"architectures": ["DistilBertForSequenceClassification"], "dim": 64, "n_layers": 3, "n_heads": 4, "hidden_dim": 96, "dropout": 0.2, "attention_dropout": 0.3, "seq_classif_dropout": 0.4}"#
        )
        #expect(small.architecture == .distilbert && small.hiddenSize == 64 && small.numHiddenLayers == 3)
        #expect(small.numAttentionHeads == 4 && small.intermediateSize == 96)
        #expect(
            small.hiddenDropoutProb == 0.2 && small.attentionProbsDropoutProb == 0.3 && small.classifierDropout == 0.4)
        #expect(try parse(String(decoding: small.jsonData(), as: UTF8.self)) == small)
        #expect(invalidValue(#"{"model_type": "distilbert", "n_layers": 0}"#) == "n_layers: positive")
        guard
            case .unsupportedValue("sinusoidal_pos_embds", "true", _)? = problem(
                #"{"model_type": "distilbert", "sinusoidal_pos_embds": true}"#)
        else {
            Issue.record("sinusoidal position embeddings must be refused by name")
            return
        }
    }

    @Test func readsTheDefaultModelsConfig() throws {
        let config = try BertConfig(contentsOf: Fixtures.defaultModel.appendingPathComponent("config.json"))
        #expect(
            config.hiddenSize == 384 && config.numHiddenLayers == 6 && config.intermediateSize == 1536
                && config.headSize == 32)
    }

    @Test func labelsFromId2labelOrNumLabels() throws {
        let config = try parse(#"{"id2label": {"1": "positive", "0": "negative"}, "classifier_dropout": 0.2}"#)
        #expect(config.id2label == ["negative", "positive"])
        #expect(config.label2id == ["negative": 0, "positive": 1])
        #expect(config.effectiveClassifierDropout == 0.2)
        #expect(try parse(#"{"num_labels": 3}"#).id2label == ["LABEL_0", "LABEL_1", "LABEL_2"])
        let sigmoid = try parse(#"{"id2label": {"0": "positive"}, "bertsent_negative_label": "negative"}"#)
        #expect(sigmoid.classNames == ["negative", "positive"])
    }

    @Test func roundTripsThroughJSON() throws {
        var config = try parse(#"{"hidden_size": 64, "num_attention_heads": 4, "custom_field": "kept"}"#)
        config.id2label = ["neg", "pos"]
        let data = try config.jsonData()
        let again = try BertConfig(json: data)
        #expect(again == config)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(object["custom_field"] as? String == "kept")
        #expect(object["architectures"] as? [String] == ["BertForSequenceClassification"])
        #expect((object["label2id"] as? [String: Int]) == ["neg": 0, "pos": 1])
    }

    @Test func wrongTypesAndValuesNameTheField() {
        #expect(invalidValue(#"{"hidden_size": "768"}"#) == "hidden_size: an integer")
        #expect(invalidValue(#"{"hidden_size": true}"#) == "hidden_size: an integer")
        #expect(invalidValue(#"{"hidden_size": 768.5}"#) == "hidden_size: an integer")
        #expect(invalidValue(#"{"layer_norm_eps": "tiny"}"#) == "layer_norm_eps: a number")
        #expect(invalidValue(#"{"hidden_act": 3}"#) == "hidden_act: a string")
        #expect(
            problem(#"{"hidden_act": "relu"}"#)
                == .unsupportedValue(
                    field: "hidden_act", value: "relu", supported: "'gelu' (exact erf GELU, as BERT uses)"))
        #expect(problem(#"{"hidden_size": 100}"#) == .hiddenSizeNotDivisible(hiddenSize: 100, heads: 12))
        #expect(
            problem(#"{"num_hidden_layers": 0}"#)
                == .invalidValue(field: "num_hidden_layers", expected: "positive", found: "0"))
        #expect(problem(#"{"id2label": {"0": "a", "2": "b"}}"#) == .invalidLabelKey(key: "2", count: 2))
        #expect(invalidValue(#"{"id2label": ["a"]}"#) == "id2label: an object of index → label")
        #expect(
            problem(#"{"num_labels": 3, "id2label": {"0": "a", "1": "b"}}"#)
                == .labelCountMismatch(numLabels: 3, labels: 2))
        #expect(
            problem(#"{"position_embedding_type": "relative_key"}"#)
                == .unsupportedValue(field: "position_embedding_type", value: "relative_key", supported: "'absolute'"))
        #expect(
            problem(#"{"hidden_dropout_prob": 1.5}"#)
                == .invalidValue(field: "hidden_dropout_prob", expected: "in [0, 1)", found: "1.5"))
        #expect(problem("[]") == .notAnObject)
        // The message names the field, the expectation and what was found.
        #expect(
            FormatError.invalidConfig(
                file: nil, .invalidValue(field: "hidden_size", expected: "an integer", found: "768 (String)")
            ).description
                == "field 'hidden_size' must be an integer, got 768 (String)")
    }

    @Test func classesMustFitTheHead() {
        var config = BertConfig()
        #expect(throws: FormatError.invalidClassNames(["a", "a"])) {
            try config.setClasses(["a", "a"], head: .softmax)
        }
        #expect(throws: FormatError.invalidClassNames([])) { try config.setClasses([], head: .softmax) }
        #expect(throws: FormatError.classCountUnfitForHead(["a"], head: .softmax)) {
            try config.setClasses(["a"], head: .softmax)
        }
        #expect(throws: FormatError.classCountUnfitForHead(["a", "b", "c"], head: .sigmoid)) {
            try config.setClasses(["a", "b", "c"], head: .sigmoid)
        }
    }

    @Test func errorsFromAFileNameIt() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("config.json")
        try Data(#"{"vocab_size": "big"}"#.utf8).write(to: url)
        let error = #expect(throws: FormatError.self) { try BertConfig(contentsOf: url) }
        guard
            case .invalidConfig(url.path, .invalidValue(field: "vocab_size", expected: "an integer", found: _))? = error
        else {
            Issue.record("expected vocab_size's problem in \(url.path), got \(String(describing: error))")
            return
        }
        #expect(error?.description.hasPrefix(url.path + ": field 'vocab_size'") == true)
        let missing = dir.appendingPathComponent("absent.json")
        let unreadable = #expect(throws: FileError.self) { try BertConfig(contentsOf: missing) }
        guard case .unreadable(missing.path, "the model config", _)? = unreadable else {
            Issue.record("expected \(missing.path) unreadable, got \(String(describing: unreadable))")
            return
        }
    }
}
