import Descent

var run = RunSpecification(dataset: "iris")
run.learningRate = .automatic(chosen: nil)   // as descent train: a range test, then a race on validation loss
run.schedule = "warmup(20) >> cosine"        // its span is bound from epochs × batches
run.epochs = 30                              // the divergence guard is on unless run.divergenceGuard = false
do {
    let trained = try TrainingRun(run).train { event in
        if case let .epochEnded(record) = event { print("epoch \(record.epoch): validation loss \(record.validationLoss ?? .nan)") }
    }
    try trained.save(to: "iris.safetensors")
    let outputs = try trained.predictor.outputs(try Tensor(rows: [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]))
    print("rate \(trained.specification.learningRate.value ?? .nan); predicted \(try trained.predictor.labels(outputs))")
} catch {
    print("error: \(error)")
}
