import BertSentFormats

extension BertModel {
    /// The teacher layers a student of `studentLayers` layers starts from: layer ⌊i·L/n⌋ for student layer
    /// i of n, L the teacher's — evenly spread from the bottom, so halving takes every other layer (6 → 3
    /// takes 0, 2, 4; 6 → 2 takes 0, 3; 6 → 4 takes 0, 1, 3, 4; 12 → 6 takes 0, 2, …, 10), as DistilBERT
    /// was initialised from BERT.
    public static func studentLayerMapping(teacherLayers: Int, studentLayers: Int) -> [Int] {
        (0..<studentLayers).map { $0 * teacherLayers / studentLayers }
    }

    /// A student initialised from `teacher`: its embeddings, the teacher layers `layers` (in order) and its
    /// head (pooler or pre_classifier, and classifier), in `architecture`'s layout. From BERT to DistilBERT
    /// the token-type embedding of type 0 is added into every position embedding, so single texts embed
    /// exactly as before; the other way the token-type embeddings start at 0. The config records the layers
    /// taken (`bertsent_teacher_layers`).
    public static func student(of teacher: BertModel, layers: [Int], architecture: ModelArchitecture) throws
        -> BertModel
    {
        let from = teacher.layout
        guard !layers.isEmpty, layers.allSatisfy(from.layers.indices.contains) else {
            throw ModelError.invalidStudentLayers(layers, teacherLayers: from.layers.count)
        }
        var config = teacher.config
        config.architecture = architecture
        config.numHiddenLayers = layers.count
        config.typeVocabSize = architecture == .distilbert ? 0 : max(teacher.config.typeVocabSize, 2)
        config.classifierDropout = teacher.config.effectiveClassifierDropout
        config.teacherLayers = layers
        let student = try BertModel(config: config)
        let to = student.layout
        func copy(_ source: Int, _ destination: Int, count: Int) {
            student.parameters.pointer.advanced(by: destination).update(
                from: teacher.parameters.pointer.advanced(by: source), count: count)
        }
        let c = config.hiddenSize
        copy(from.wordEmbeddings, to.wordEmbeddings, count: config.vocabSize * c)
        copy(from.positionEmbeddings, to.positionEmbeddings, count: config.maxPositionEmbeddings * c)
        switch (from.tokenTypeEmbeddings, to.tokenTypeEmbeddings) {
        case (let types?, let studentTypes?):
            copy(types, studentTypes, count: teacher.config.typeVocabSize * c)
        case (let types?, nil):
            let positions = student.parameters.pointer + to.positionEmbeddings
            let typeZero = teacher.parameters.pointer + types
            for p in 0..<config.maxPositionEmbeddings {
                for i in 0..<c { positions[p * c + i] += typeZero[i] }
            }
        case (nil, _):
            break  // a new model's parameters are zero
        }
        copy(from.embeddingNormWeight, to.embeddingNormWeight, count: c)
        copy(from.embeddingNormBias, to.embeddingNormBias, count: c)
        // Within a layer, and in the head, both architectures lay out the same tensors in the same order.
        func tensors(_ layout: ParameterLayout, _ part: TensorSpec.Part) -> [TensorSpec] {
            layout.tensors.filter { $0.part == part }
        }
        var pairs: [(TensorSpec, TensorSpec)] = []
        for (index, layer) in layers.enumerated() {
            pairs += zip(tensors(from, .layer(layer)), tensors(to, .layer(index)))
        }
        pairs += zip(tensors(from, .pooler), tensors(to, .pooler))
        pairs += zip(tensors(from, .classifier), tensors(to, .classifier))
        for (source, destination) in pairs {
            precondition(source.shape == destination.shape, "\(source.name) → \(destination.name)")
            copy(source.offset, destination.offset, count: source.count)
        }
        return student
    }
}
