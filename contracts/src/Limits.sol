// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice Per-transaction and daily limits in token units; the vault keeps two sets (deposits, releases), the gateway
/// two (mints, withdrawals).
/// @dev The day is `block.timestamp / 1 days` (UTC days), so the daily counter resets at 00:00 UTC.
library Limits {
    struct Data {
        uint256 minPerTx;
        uint256 maxPerTx;
        uint256 dailyLimit;
        mapping(uint256 day => uint256 spent) spentOnDay;
    }

    error AmountBelowMin(uint256 amount, uint256 minPerTx);
    error AmountAboveMax(uint256 amount, uint256 maxPerTx);
    error DailyLimitExceeded(uint256 spent, uint256 amount, uint256 dailyLimit);
    error InvalidLimits();

    /// @dev A zero minimum would let zero-amount messages through; a max above the daily limit could never be used.
    function set(Data storage self, uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit) internal {
        if (minPerTx == 0 || minPerTx > maxPerTx || maxPerTx > dailyLimit) revert InvalidLimits();
        self.minPerTx = minPerTx;
        self.maxPerTx = maxPerTx;
        self.dailyLimit = dailyLimit;
    }

    function checkPerTx(Data storage self, uint256 amount) internal view {
        if (amount < self.minPerTx) revert AmountBelowMin(amount, self.minPerTx);
        if (amount > self.maxPerTx) revert AmountAboveMax(amount, self.maxPerTx);
    }

    /// @dev Checks the per-transaction bounds and books `amount` on today's counter.
    function consume(Data storage self, uint256 amount) internal {
        checkPerTx(self, amount);
        uint256 day = block.timestamp / 1 days;
        uint256 spent = self.spentOnDay[day];
        if (spent + amount > self.dailyLimit) revert DailyLimitExceeded(spent, amount, self.dailyLimit);
        self.spentOnDay[day] = spent + amount;
    }
}
