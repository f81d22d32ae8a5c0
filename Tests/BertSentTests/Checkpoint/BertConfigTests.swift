import BertSent
import Foundation
import Testing

@Suite struct BertConfigTests {
    func parse(_ json: String) throws -> BertConfig { try BertConfig(json: Data(json.utf8)) }

    func expectError(_ json: String, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try parse(json)
            Issue.record("expected an error containing '\(fragment)'", sourceLocation: sourceLocation)
        } catch {
            #expect("\(error)".contains(fragment), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func absentFieldsTakeTransformersDefaults() throws {
        let config = try parse("{}")
        #expect(config.hiddenSize == 768 && config.numHiddenLayers == 12 && config.numAttentionHeads == 12)
        #expect(config.intermediateSize == 3072 && config.vocabSize == 30522 && config.maxPositionEmbeddings == 512)
        #expect(config.layerNormEps == 1e-12 && config.hiddenDropoutProb == 0.1 && config.effectiveClassifierDropout == 0.1)
        #expect(config.id2label == ["LABEL_0", "LABEL_1"])
    }

    @Test func readsTheDefaultModelsConfig() throws {
        let config = try BertConfig(contentsOf: Fixtures.defaultModel.appendingPathComponent("config.json"))
        #expect(config.hiddenSize == 384 && config.numHiddenLayers == 6 && config.intermediateSize == 1536 && config.headSize == 32)
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
        expectError(#"{"hidden_size": "768"}"#, containing: "field 'hidden_size' must be an integer")
        expectError(#"{"hidden_size": true}"#, containing: "field 'hidden_size' must be an integer")
        expectError(#"{"hidden_size": 768.5}"#, containing: "field 'hidden_size' must be an integer")
        expectError(#"{"layer_norm_eps": "tiny"}"#, containing: "field 'layer_norm_eps' must be a number")
        expectError(#"{"hidden_act": 3}"#, containing: "field 'hidden_act' must be a string")
        expectError(#"{"hidden_act": "relu"}"#, containing: "field 'hidden_act' is 'relu'")
        expectError(#"{"hidden_size": 100}"#, containing: "not a multiple of 'num_attention_heads'")
        expectError(#"{"num_hidden_layers": 0}"#, containing: "field 'num_hidden_layers' must be positive")
        expectError(#"{"id2label": {"0": "a", "2": "b"}}"#, containing: "field 'id2label' has key '2'")
        expectError(#"{"id2label": ["a"]}"#, containing: "field 'id2label' must be an object")
        expectError(#"{"num_labels": 3, "id2label": {"0": "a", "1": "b"}}"#, containing: "'num_labels' is 3 but 'id2label' has 2")
        expectError(#"{"position_embedding_type": "relative_key"}"#, containing: "only 'absolute'")
        expectError(#"{"hidden_dropout_prob": 1.5}"#, containing: "field 'hidden_dropout_prob' must be in [0, 1)")
        expectError("[]", containing: "not a JSON object")
    }

    @Test func errorsFromAFileNameIt() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("config.json")
        try Data(#"{"vocab_size": "big"}"#.utf8).write(to: url)
        #expect { try BertConfig(contentsOf: url) } throws: { error in
            "\(error)".hasPrefix(url.path + ": field 'vocab_size'")
        }
    }
}
