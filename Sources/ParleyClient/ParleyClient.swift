enum ParleyClientPlaceholder {}
