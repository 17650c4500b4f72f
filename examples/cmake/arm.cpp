/* SPDX-License-Identifier: MIT */
// arm.cpp: examples/c/arm.c compiled as C++ (nn4n.h is C and C++).
#include "../c/arm.c"
