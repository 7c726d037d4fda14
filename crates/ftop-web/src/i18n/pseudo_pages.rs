//! Pseudo-locale page test.
