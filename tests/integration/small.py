"""The small design the integration tests run through the chain."""

from spinaps.design import Design

#: A design small enough for the test suite: 2,000 training and 500 test digits, short
#: training, 6 chips, small Monte-Carlo ensembles; everything else as the default design.
SMALL = Design().with_values(
    {
        "network.train_samples": 2000,
        "network.test_samples": 500,
        "network.epochs": 6,
        "network.qat_epochs": 2,
        "network.ann_epochs": 5,
        "study.chips": 6,
        "study.llg_devices": 50,
        "study.variability_devices": 50,
        "study.seed": 2,
    }
)
