@testable import DescentCLI
@testable import DescentCLITrain
import Descent
import XCTest

/// The CLI's wording of the library's advice: commands that change exactly what the advice says.
final class DiagnosisTextTests: XCTestCase {
    func testEditingACommandReplacesAddsAndDrops() {
        let arguments = ["descent", "train", "--dataset", "iris", "--epochs", "20", "--learning-rate=0.39", "--no-guard"]
        XCTAssertEqual(DiagnosisText.edited(arguments, ["--epochs": "40"], adding: ["--resume"]),
                       ["descent", "train", "--dataset", "iris", "--epochs", "40", "--learning-rate=0.39", "--no-guard", "--resume"])
        XCTAssertEqual(DiagnosisText.edited(arguments, ["--learning-rate": "3.90e-02"], dropping: ["--no-guard"]),
                       ["descent", "train", "--dataset", "iris", "--epochs", "20", "--learning-rate=3.90e-02"])
        // An option the command did not give is added.
        XCTAssertEqual(DiagnosisText.edited(["descent", "train", "--dataset", "iris"], ["--epochs": "40"]),
                       ["descent", "train", "--dataset", "iris", "--epochs", "40"])
    }

    func testContinueTrainingSaysResumeOnlyWhenTheRunCanGoOn() {
        let diagnosis = Diagnosis(verdict: .stillImproving, evidence: [],
                                  advice: .continueTraining(addEpochs: 20, totalEpochs: 40, sameSchedule: true, orRaiseRateBy: nil),
                                  confidence: .high)
        let checkpointed = DiagnosisText.Rerun(arguments: ["descent", "train", "--dataset", "iris", "--checkpoint-dir", "run"], checkpointed: true)
        XCTAssertEqual(DiagnosisText.advice(diagnosis, rerun: checkpointed),
                       "train 20 more epochs (40 in all), going on from this run's last checkpoint: "
                       + "`descent train --dataset iris --checkpoint-dir run --epochs 40 --resume`")
        var stretched = diagnosis
        stretched.advice = .continueTraining(addEpochs: 20, totalEpochs: 40, sameSchedule: false, orRaiseRateBy: nil)
        let text = DiagnosisText.advice(stretched, rerun: checkpointed)
        XCTAssertFalse(text.contains("--resume"), text)
        XCTAssertTrue(text.contains("the schedule stretched over them"), text)
    }

    func testTheGuardsRateIsNamedWithTheCommand() {
        let diagnosis = Diagnosis(verdict: .rateTooHigh, evidence: [], advice: .useGuardRate(learningRate: 0.039, from: 0.39, rollbacks: 2),
                                  confidence: .high, learningRate: 0.039)
        let rerun = DiagnosisText.Rerun(arguments: ["descent", "train", "--dataset", "digits", "--learning-rate", "0.39"], checkpointed: false)
        XCTAssertEqual(DiagnosisText.advice(diagnosis, rerun: rerun),
                       "train at 3.90e-02, the rate the divergence guard settled on after 2 rollbacks (instead of 3.90e-01): "
                       + "`descent train --dataset digits --learning-rate 3.90e-02`")
    }
}
