// The CPU gate (see src/cpu/mod.rs), written by src/cpu/asm.rs: do not edit.
// Expects .Lpg_r<i> = 1 for each feature i of the table the compile assumes
// (0 otherwise); assembled by `PLATFORM_GUARD_CPU_GATE <base>`.
.set .Lpg_start_len, 98 + 4 * .Lpg_r0 + 5 * .Lpg_r1 + 4 * .Lpg_r2 + 4 * .Lpg_r3 + 4 * .Lpg_r4 + 8 * .Lpg_r5 + 4 * .Lpg_r6 + 5 * .Lpg_r7 + 6 * .Lpg_r8 + 6 * .Lpg_r9 + 5 * .Lpg_r10 + 4 * .Lpg_r11 + 6 * .Lpg_r12 + 5 * .Lpg_r13 + 8 * .Lpg_r14 + 5 * .Lpg_r15 + 7 * .Lpg_r16 + 4 * .Lpg_r18 + 4 * .Lpg_r19 + 5 * .Lpg_r20 + 5 * .Lpg_r21 + 5 * .Lpg_r24 + 5 * .Lpg_r26 + 6 * .Lpg_r27 + 4 * .Lpg_r28 + 3 * .Lpg_r29 + 5 * .Lpg_r30 + 5 * .Lpg_r31 + 4 * .Lpg_r32 + 5 * .Lpg_r34 + 4 * .Lpg_r35 + 5 * .Lpg_r36 + 9 * .Lpg_r37 + 13 * .Lpg_r38 + 10 * .Lpg_r39 + 9 * .Lpg_r40
.set .Lpg_text_len, .Lpg_start_len + 5 * .Lpg_r0 + 6 * .Lpg_r1 + 5 * .Lpg_r2 + 5 * .Lpg_r3 + 5 * .Lpg_r4 + 9 * .Lpg_r5 + 5 * .Lpg_r6 + 6 * .Lpg_r7 + 7 * .Lpg_r8 + 7 * .Lpg_r9 + 6 * .Lpg_r10 + 5 * .Lpg_r11 + 7 * .Lpg_r12 + 6 * .Lpg_r13 + 9 * .Lpg_r14 + 6 * .Lpg_r15 + 8 * .Lpg_r16 + 5 * .Lpg_r18 + 5 * .Lpg_r19 + 6 * .Lpg_r20 + 6 * .Lpg_r21 + 6 * .Lpg_r24 + 6 * .Lpg_r26 + 7 * .Lpg_r27 + 5 * .Lpg_r28 + 4 * .Lpg_r29 + 6 * .Lpg_r30 + 6 * .Lpg_r31 + 5 * .Lpg_r32 + 6 * .Lpg_r34 + 5 * .Lpg_r35 + 6 * .Lpg_r36 + 10 * .Lpg_r37 + 14 * .Lpg_r38 + 11 * .Lpg_r39 + 10 * .Lpg_r40
.macro PLATFORM_GUARD_CPU_GATE base
.pushsection .text.\base\()gate,"ax",%progbits
.p2align 2
.globl \base\()enforce
.hidden \base\()enforce
.type \base\()enforce,%function
.globl \base\()check
.hidden \base\()check
.type \base\()check,%function
.globl \base\()missing
.hidden \base\()missing
.type \base\()missing,%function
\base\()enforce:
    stp x29, x30, [sp, #-16]!
    mov x29, sp
    bl .Lpg_detect
    cbz x0, .Lpg_enforce_runs
    bl .Lpg_message
    b .Lpg_refuse
.Lpg_enforce_runs:
    ldp x29, x30, [sp], #16
    ret
.size \base\()enforce, . - \base\()enforce

\base\()check:
    stp x29, x30, [sp, #-16]!
    mov x29, sp
    bl .Lpg_detect
    adrp x1, .Lpg_missing
    str x0, [x1, :lo12:.Lpg_missing]
    cbz x0, .Lpg_check_runs
    bl .Lpg_message
    bl .Lpg_backstop
.Lpg_check_runs:
    ldp x29, x30, [sp], #16
    ret
.size \base\()check, . - \base\()check

\base\()missing:
    adrp x0, .Lpg_missing
    ldr x0, [x0, :lo12:.Lpg_missing]
    ret
.size \base\()missing, . - \base\()missing

// x0 = missing features; x19 = AT_HWCAP, x20 = AT_HWCAP2.
.Lpg_detect:
    stp x29, x30, [sp, #-32]!
    mov x29, sp
    stp x19, x20, [sp, #16]
    mov x0, #16
    bl getauxval
    mov x19, x0
    mov x0, #26
    bl getauxval
    mov x20, x0
    mov x0, #0
.if .Lpg_r0
    // aes
    movz x2, #0x18
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_0
    orr x0, x0, #0x1
.Lpg_has_0:
.endif
.if .Lpg_r1
    // bf16
    movz x2, #0x4000
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_1
    orr x0, x0, #0x2
.Lpg_has_1:
.endif
.if .Lpg_r2
    // bti
    movz x2, #0x0
    movk x2, #0x2, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_2
    orr x0, x0, #0x4
.Lpg_has_2:
.endif
.if .Lpg_r3
    // crc
    movz x2, #0x80
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_3
    orr x0, x0, #0x8
.Lpg_has_3:
.endif
.if .Lpg_r4
    // dit
    movz x2, #0x0
    movk x2, #0x100, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_4
    orr x0, x0, #0x10
.Lpg_has_4:
.endif
.if .Lpg_r5
    // dotprod
    movz x2, #0x0
    movk x2, #0x10, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_5
    orr x0, x0, #0x20
.Lpg_has_5:
.endif
.if .Lpg_r6
    // dpb
    movz x2, #0x0
    movk x2, #0x1, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_6
    orr x0, x0, #0x40
.Lpg_has_6:
.endif
.if .Lpg_r7
    // dpb2
    movz x2, #0x1
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_7
    orr x0, x0, #0x80
.Lpg_has_7:
.endif
.if .Lpg_r8
    // f32mm
    movz x2, #0x400
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_8
    orr x0, x0, #0x100
.Lpg_has_8:
.endif
.if .Lpg_r9
    // f64mm
    movz x2, #0x800
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_9
    orr x0, x0, #0x200
.Lpg_has_9:
.endif
.if .Lpg_r10
    // fcma
    movz x2, #0x4000
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_10
    orr x0, x0, #0x400
.Lpg_has_10:
.endif
.if .Lpg_r11
    // fhm
    movz x2, #0x0
    movk x2, #0x80, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_11
    orr x0, x0, #0x800
.Lpg_has_11:
.endif
.if .Lpg_r12
    // flagm
    movz x2, #0x0
    movk x2, #0x800, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_12
    orr x0, x0, #0x1000
.Lpg_has_12:
.endif
.if .Lpg_r13
    // fp16
    movz x2, #0x600
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_13
    orr x0, x0, #0x2000
.Lpg_has_13:
.endif
.if .Lpg_r14
    // frintts
    movz x2, #0x100
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_14
    orr x0, x0, #0x4000
.Lpg_has_14:
.endif
.if .Lpg_r15
    // i8mm
    movz x2, #0x2000
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_15
    orr x0, x0, #0x8000
.Lpg_has_15:
.endif
.if .Lpg_r16
    // jsconv
    movz x2, #0x2000
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_16
    orr x0, x0, #0x10000
.Lpg_has_16:
.endif
.if .Lpg_r18
    // lse
    movz x2, #0x100
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_18
    orr x0, x0, #0x40000
.Lpg_has_18:
.endif
.if .Lpg_r19
    // mte
    movz x2, #0x0
    movk x2, #0x4, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_19
    orr x0, x0, #0x80000
.Lpg_has_19:
.endif
.if .Lpg_r20
    // paca
    movz x2, #0x0
    movk x2, #0x4000, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_20
    orr x0, x0, #0x100000
.Lpg_has_20:
.endif
.if .Lpg_r21
    // pacg
    movz x2, #0x0
    movk x2, #0x8000, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_21
    orr x0, x0, #0x200000
.Lpg_has_21:
.endif
.if .Lpg_r24
    // rand
    movz x2, #0x0
    movk x2, #0x1, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_24
    orr x0, x0, #0x1000000
.Lpg_has_24:
.endif
.if .Lpg_r26
    // rcpc
    movz x2, #0x8000
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_26
    orr x0, x0, #0x4000000
.Lpg_has_26:
.endif
.if .Lpg_r27
    // rcpc2
    movz x2, #0x0
    movk x2, #0x400, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_27
    orr x0, x0, #0x8000000
.Lpg_has_27:
.endif
.if .Lpg_r28
    // rdm
    movz x2, #0x1000
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_28
    orr x0, x0, #0x10000000
.Lpg_has_28:
.endif
.if .Lpg_r29
    // sb
    movz x2, #0x0
    movk x2, #0x2000, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_29
    orr x0, x0, #0x20000000
.Lpg_has_29:
.endif
.if .Lpg_r30
    // sha2
    movz x2, #0x60
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_30
    orr x0, x0, #0x40000000
.Lpg_has_30:
.endif
.if .Lpg_r31
    // sha3
    movz x2, #0x0
    movk x2, #0x22, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_31
    orr x0, x0, #0x80000000
.Lpg_has_31:
.endif
.if .Lpg_r32
    // sm4
    movz x2, #0x0
    movk x2, #0xc, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_32
    orr x0, x0, #0x100000000
.Lpg_has_32:
.endif
.if .Lpg_r34
    // ssbs
    movz x2, #0x0
    movk x2, #0x1000, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_34
    orr x0, x0, #0x400000000
.Lpg_has_34:
.endif
.if .Lpg_r35
    // sve
    movz x2, #0x0
    movk x2, #0x40, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x19, x2
    cmp x1, x2
    b.eq .Lpg_has_35
    orr x0, x0, #0x800000000
.Lpg_has_35:
.endif
.if .Lpg_r36
    // sve2
    movz x2, #0x2
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_36
    orr x0, x0, #0x1000000000
.Lpg_has_36:
.endif
.if .Lpg_r37
    // sve2-aes
    movz x2, #0xc
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_37
    orr x0, x0, #0x2000000000
.Lpg_has_37:
.endif
.if .Lpg_r38
    // sve2-bitperm
    movz x2, #0x10
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_38
    orr x0, x0, #0x4000000000
.Lpg_has_38:
.endif
.if .Lpg_r39
    // sve2-sha3
    movz x2, #0x20
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_39
    orr x0, x0, #0x8000000000
.Lpg_has_39:
.endif
.if .Lpg_r40
    // sve2-sm4
    movz x2, #0x40
    movk x2, #0x0, lsl #16
    movk x2, #0x0, lsl #32
    movk x2, #0x0, lsl #48
    and x1, x20, x2
    cmp x1, x2
    b.eq .Lpg_has_40
    orr x0, x0, #0x10000000000
.Lpg_has_40:
.endif
    ldp x19, x20, [sp, #16]
    ldp x29, x30, [sp], #32
    ret

// x0 = missing features: the refusal line into .Lpg_text, its length
// into .Lpg_len. x1 = from, x2 = count, x3 = to, x4 = the mask.
.Lpg_message:
    mov x4, x0
    adrp x3, .Lpg_text
    add x3, x3, :lo12:.Lpg_text
    adrp x1, .Lpg_start
    add x1, x1, :lo12:.Lpg_start
    adrp x2, .Lpg_start_size
    ldr x2, [x2, :lo12:.Lpg_start_size]
.Lpg_copy_start:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_start
.if .Lpg_r0
    tbz x4, #0, .Lpg_named_0
    adrp x1, .Lpg_name_0
    add x1, x1, :lo12:.Lpg_name_0
    mov x2, #5
.Lpg_copy_0:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_0
.Lpg_named_0:
.endif
.if .Lpg_r1
    tbz x4, #1, .Lpg_named_1
    adrp x1, .Lpg_name_1
    add x1, x1, :lo12:.Lpg_name_1
    mov x2, #6
.Lpg_copy_1:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_1
.Lpg_named_1:
.endif
.if .Lpg_r2
    tbz x4, #2, .Lpg_named_2
    adrp x1, .Lpg_name_2
    add x1, x1, :lo12:.Lpg_name_2
    mov x2, #5
.Lpg_copy_2:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_2
.Lpg_named_2:
.endif
.if .Lpg_r3
    tbz x4, #3, .Lpg_named_3
    adrp x1, .Lpg_name_3
    add x1, x1, :lo12:.Lpg_name_3
    mov x2, #5
.Lpg_copy_3:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_3
.Lpg_named_3:
.endif
.if .Lpg_r4
    tbz x4, #4, .Lpg_named_4
    adrp x1, .Lpg_name_4
    add x1, x1, :lo12:.Lpg_name_4
    mov x2, #5
.Lpg_copy_4:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_4
.Lpg_named_4:
.endif
.if .Lpg_r5
    tbz x4, #5, .Lpg_named_5
    adrp x1, .Lpg_name_5
    add x1, x1, :lo12:.Lpg_name_5
    mov x2, #9
.Lpg_copy_5:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_5
.Lpg_named_5:
.endif
.if .Lpg_r6
    tbz x4, #6, .Lpg_named_6
    adrp x1, .Lpg_name_6
    add x1, x1, :lo12:.Lpg_name_6
    mov x2, #5
.Lpg_copy_6:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_6
.Lpg_named_6:
.endif
.if .Lpg_r7
    tbz x4, #7, .Lpg_named_7
    adrp x1, .Lpg_name_7
    add x1, x1, :lo12:.Lpg_name_7
    mov x2, #6
.Lpg_copy_7:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_7
.Lpg_named_7:
.endif
.if .Lpg_r8
    tbz x4, #8, .Lpg_named_8
    adrp x1, .Lpg_name_8
    add x1, x1, :lo12:.Lpg_name_8
    mov x2, #7
.Lpg_copy_8:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_8
.Lpg_named_8:
.endif
.if .Lpg_r9
    tbz x4, #9, .Lpg_named_9
    adrp x1, .Lpg_name_9
    add x1, x1, :lo12:.Lpg_name_9
    mov x2, #7
.Lpg_copy_9:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_9
.Lpg_named_9:
.endif
.if .Lpg_r10
    tbz x4, #10, .Lpg_named_10
    adrp x1, .Lpg_name_10
    add x1, x1, :lo12:.Lpg_name_10
    mov x2, #6
.Lpg_copy_10:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_10
.Lpg_named_10:
.endif
.if .Lpg_r11
    tbz x4, #11, .Lpg_named_11
    adrp x1, .Lpg_name_11
    add x1, x1, :lo12:.Lpg_name_11
    mov x2, #5
.Lpg_copy_11:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_11
.Lpg_named_11:
.endif
.if .Lpg_r12
    tbz x4, #12, .Lpg_named_12
    adrp x1, .Lpg_name_12
    add x1, x1, :lo12:.Lpg_name_12
    mov x2, #7
.Lpg_copy_12:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_12
.Lpg_named_12:
.endif
.if .Lpg_r13
    tbz x4, #13, .Lpg_named_13
    adrp x1, .Lpg_name_13
    add x1, x1, :lo12:.Lpg_name_13
    mov x2, #6
.Lpg_copy_13:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_13
.Lpg_named_13:
.endif
.if .Lpg_r14
    tbz x4, #14, .Lpg_named_14
    adrp x1, .Lpg_name_14
    add x1, x1, :lo12:.Lpg_name_14
    mov x2, #9
.Lpg_copy_14:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_14
.Lpg_named_14:
.endif
.if .Lpg_r15
    tbz x4, #15, .Lpg_named_15
    adrp x1, .Lpg_name_15
    add x1, x1, :lo12:.Lpg_name_15
    mov x2, #6
.Lpg_copy_15:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_15
.Lpg_named_15:
.endif
.if .Lpg_r16
    tbz x4, #16, .Lpg_named_16
    adrp x1, .Lpg_name_16
    add x1, x1, :lo12:.Lpg_name_16
    mov x2, #8
.Lpg_copy_16:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_16
.Lpg_named_16:
.endif
.if .Lpg_r18
    tbz x4, #18, .Lpg_named_18
    adrp x1, .Lpg_name_18
    add x1, x1, :lo12:.Lpg_name_18
    mov x2, #5
.Lpg_copy_18:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_18
.Lpg_named_18:
.endif
.if .Lpg_r19
    tbz x4, #19, .Lpg_named_19
    adrp x1, .Lpg_name_19
    add x1, x1, :lo12:.Lpg_name_19
    mov x2, #5
.Lpg_copy_19:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_19
.Lpg_named_19:
.endif
.if .Lpg_r20
    tbz x4, #20, .Lpg_named_20
    adrp x1, .Lpg_name_20
    add x1, x1, :lo12:.Lpg_name_20
    mov x2, #6
.Lpg_copy_20:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_20
.Lpg_named_20:
.endif
.if .Lpg_r21
    tbz x4, #21, .Lpg_named_21
    adrp x1, .Lpg_name_21
    add x1, x1, :lo12:.Lpg_name_21
    mov x2, #6
.Lpg_copy_21:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_21
.Lpg_named_21:
.endif
.if .Lpg_r24
    tbz x4, #24, .Lpg_named_24
    adrp x1, .Lpg_name_24
    add x1, x1, :lo12:.Lpg_name_24
    mov x2, #6
.Lpg_copy_24:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_24
.Lpg_named_24:
.endif
.if .Lpg_r26
    tbz x4, #26, .Lpg_named_26
    adrp x1, .Lpg_name_26
    add x1, x1, :lo12:.Lpg_name_26
    mov x2, #6
.Lpg_copy_26:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_26
.Lpg_named_26:
.endif
.if .Lpg_r27
    tbz x4, #27, .Lpg_named_27
    adrp x1, .Lpg_name_27
    add x1, x1, :lo12:.Lpg_name_27
    mov x2, #7
.Lpg_copy_27:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_27
.Lpg_named_27:
.endif
.if .Lpg_r28
    tbz x4, #28, .Lpg_named_28
    adrp x1, .Lpg_name_28
    add x1, x1, :lo12:.Lpg_name_28
    mov x2, #5
.Lpg_copy_28:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_28
.Lpg_named_28:
.endif
.if .Lpg_r29
    tbz x4, #29, .Lpg_named_29
    adrp x1, .Lpg_name_29
    add x1, x1, :lo12:.Lpg_name_29
    mov x2, #4
.Lpg_copy_29:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_29
.Lpg_named_29:
.endif
.if .Lpg_r30
    tbz x4, #30, .Lpg_named_30
    adrp x1, .Lpg_name_30
    add x1, x1, :lo12:.Lpg_name_30
    mov x2, #6
.Lpg_copy_30:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_30
.Lpg_named_30:
.endif
.if .Lpg_r31
    tbz x4, #31, .Lpg_named_31
    adrp x1, .Lpg_name_31
    add x1, x1, :lo12:.Lpg_name_31
    mov x2, #6
.Lpg_copy_31:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_31
.Lpg_named_31:
.endif
.if .Lpg_r32
    tbz x4, #32, .Lpg_named_32
    adrp x1, .Lpg_name_32
    add x1, x1, :lo12:.Lpg_name_32
    mov x2, #5
.Lpg_copy_32:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_32
.Lpg_named_32:
.endif
.if .Lpg_r34
    tbz x4, #34, .Lpg_named_34
    adrp x1, .Lpg_name_34
    add x1, x1, :lo12:.Lpg_name_34
    mov x2, #6
.Lpg_copy_34:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_34
.Lpg_named_34:
.endif
.if .Lpg_r35
    tbz x4, #35, .Lpg_named_35
    adrp x1, .Lpg_name_35
    add x1, x1, :lo12:.Lpg_name_35
    mov x2, #5
.Lpg_copy_35:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_35
.Lpg_named_35:
.endif
.if .Lpg_r36
    tbz x4, #36, .Lpg_named_36
    adrp x1, .Lpg_name_36
    add x1, x1, :lo12:.Lpg_name_36
    mov x2, #6
.Lpg_copy_36:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_36
.Lpg_named_36:
.endif
.if .Lpg_r37
    tbz x4, #37, .Lpg_named_37
    adrp x1, .Lpg_name_37
    add x1, x1, :lo12:.Lpg_name_37
    mov x2, #10
.Lpg_copy_37:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_37
.Lpg_named_37:
.endif
.if .Lpg_r38
    tbz x4, #38, .Lpg_named_38
    adrp x1, .Lpg_name_38
    add x1, x1, :lo12:.Lpg_name_38
    mov x2, #14
.Lpg_copy_38:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_38
.Lpg_named_38:
.endif
.if .Lpg_r39
    tbz x4, #39, .Lpg_named_39
    adrp x1, .Lpg_name_39
    add x1, x1, :lo12:.Lpg_name_39
    mov x2, #11
.Lpg_copy_39:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_39
.Lpg_named_39:
.endif
.if .Lpg_r40
    tbz x4, #40, .Lpg_named_40
    adrp x1, .Lpg_name_40
    add x1, x1, :lo12:.Lpg_name_40
    mov x2, #10
.Lpg_copy_40:
    ldrb w5, [x1], #1
    strb w5, [x3], #1
    subs x2, x2, #1
    b.ne .Lpg_copy_40
.Lpg_named_40:
.endif
    sub x3, x3, #2
    mov w5, #10
    strb w5, [x3], #1
    adrp x1, .Lpg_text
    add x1, x1, :lo12:.Lpg_text
    sub x2, x3, x1
    adrp x1, .Lpg_len
    str x2, [x1, :lo12:.Lpg_len]
    ret

// The line to stderr, however many writes it takes (EINTR retried; any
// other error, or a closed stderr, ends it quietly).
.Lpg_write:
    adrp x1, .Lpg_text
    add x1, x1, :lo12:.Lpg_text
    adrp x2, .Lpg_len
    ldr x2, [x2, :lo12:.Lpg_len]
.Lpg_write_more:
    cbz x2, .Lpg_written
    mov x0, #2
    mov x8, #64
    svc #0
    cmn x0, #4
    b.eq .Lpg_write_more
    cmp x0, #0
    b.le .Lpg_written
    add x1, x1, x0
    sub x2, x2, x0
    b .Lpg_write_more
.Lpg_written:
    ret

// SIGPIPE ignored (a closed pipe on stderr fails the write instead of
// killing the process), the line, then exit_group(1). Also the SIGILL
// handler.
.Lpg_refuse:
    mov x0, #13
    mov x1, #1
    bl .Lpg_sigaction
    bl .Lpg_write
    mov x0, #1
    mov x8, #94
    svc #0
    b .Lpg_refuse

// The line on SIGILL.
.Lpg_backstop:
    mov x0, #4
    adrp x1, .Lpg_refuse
    add x1, x1, :lo12:.Lpg_refuse
    b .Lpg_sigaction

// rt_sigaction(x0, [x1, no flags, no restorer, empty mask], NULL, 8).
.Lpg_sigaction:
    sub sp, sp, #32
    stp x1, xzr, [sp]
    stp xzr, xzr, [sp, #16]
    mov x1, sp
    mov x2, #0
    mov x3, #8
    mov x8, #134
    svc #0
    add sp, sp, #32
    ret
\base\()end:
.popsection
.pushsection .bss.platform_guard_cpu,"aw",%nobits
.p2align 3
.Lpg_missing: .zero 8
.Lpg_len: .zero 8
.Lpg_text: .zero .Lpg_text_len + 16
.popsection
.pushsection .rodata.platform_guard_cpu,"a",%progbits
.Lpg_start: .ascii "platform-guard: refusing to run on this CPU: the program was built for "
.ascii "aarch64"
.if .Lpg_r0
.ascii "+aes"
.endif
.if .Lpg_r1
.ascii "+bf16"
.endif
.if .Lpg_r2
.ascii "+bti"
.endif
.if .Lpg_r3
.ascii "+crc"
.endif
.if .Lpg_r4
.ascii "+dit"
.endif
.if .Lpg_r5
.ascii "+dotprod"
.endif
.if .Lpg_r6
.ascii "+dpb"
.endif
.if .Lpg_r7
.ascii "+dpb2"
.endif
.if .Lpg_r8
.ascii "+f32mm"
.endif
.if .Lpg_r9
.ascii "+f64mm"
.endif
.if .Lpg_r10
.ascii "+fcma"
.endif
.if .Lpg_r11
.ascii "+fhm"
.endif
.if .Lpg_r12
.ascii "+flagm"
.endif
.if .Lpg_r13
.ascii "+fp16"
.endif
.if .Lpg_r14
.ascii "+frintts"
.endif
.if .Lpg_r15
.ascii "+i8mm"
.endif
.if .Lpg_r16
.ascii "+jsconv"
.endif
.if .Lpg_r18
.ascii "+lse"
.endif
.if .Lpg_r19
.ascii "+mte"
.endif
.if .Lpg_r20
.ascii "+paca"
.endif
.if .Lpg_r21
.ascii "+pacg"
.endif
.if .Lpg_r24
.ascii "+rand"
.endif
.if .Lpg_r26
.ascii "+rcpc"
.endif
.if .Lpg_r27
.ascii "+rcpc2"
.endif
.if .Lpg_r28
.ascii "+rdm"
.endif
.if .Lpg_r29
.ascii "+sb"
.endif
.if .Lpg_r30
.ascii "+sha2"
.endif
.if .Lpg_r31
.ascii "+sha3"
.endif
.if .Lpg_r32
.ascii "+sm4"
.endif
.if .Lpg_r34
.ascii "+ssbs"
.endif
.if .Lpg_r35
.ascii "+sve"
.endif
.if .Lpg_r36
.ascii "+sve2"
.endif
.if .Lpg_r37
.ascii "+sve2-aes"
.endif
.if .Lpg_r38
.ascii "+sve2-bitperm"
.endif
.if .Lpg_r39
.ascii "+sve2-sha3"
.endif
.if .Lpg_r40
.ascii "+sve2-sm4"
.endif
.ascii ", and the CPU lacks "
.p2align 3
.Lpg_start_size: .quad .Lpg_start_len
.if .Lpg_r0
.Lpg_name_0: .ascii "aes, "
.endif
.if .Lpg_r1
.Lpg_name_1: .ascii "bf16, "
.endif
.if .Lpg_r2
.Lpg_name_2: .ascii "bti, "
.endif
.if .Lpg_r3
.Lpg_name_3: .ascii "crc, "
.endif
.if .Lpg_r4
.Lpg_name_4: .ascii "dit, "
.endif
.if .Lpg_r5
.Lpg_name_5: .ascii "dotprod, "
.endif
.if .Lpg_r6
.Lpg_name_6: .ascii "dpb, "
.endif
.if .Lpg_r7
.Lpg_name_7: .ascii "dpb2, "
.endif
.if .Lpg_r8
.Lpg_name_8: .ascii "f32mm, "
.endif
.if .Lpg_r9
.Lpg_name_9: .ascii "f64mm, "
.endif
.if .Lpg_r10
.Lpg_name_10: .ascii "fcma, "
.endif
.if .Lpg_r11
.Lpg_name_11: .ascii "fhm, "
.endif
.if .Lpg_r12
.Lpg_name_12: .ascii "flagm, "
.endif
.if .Lpg_r13
.Lpg_name_13: .ascii "fp16, "
.endif
.if .Lpg_r14
.Lpg_name_14: .ascii "frintts, "
.endif
.if .Lpg_r15
.Lpg_name_15: .ascii "i8mm, "
.endif
.if .Lpg_r16
.Lpg_name_16: .ascii "jsconv, "
.endif
.if .Lpg_r18
.Lpg_name_18: .ascii "lse, "
.endif
.if .Lpg_r19
.Lpg_name_19: .ascii "mte, "
.endif
.if .Lpg_r20
.Lpg_name_20: .ascii "paca, "
.endif
.if .Lpg_r21
.Lpg_name_21: .ascii "pacg, "
.endif
.if .Lpg_r24
.Lpg_name_24: .ascii "rand, "
.endif
.if .Lpg_r26
.Lpg_name_26: .ascii "rcpc, "
.endif
.if .Lpg_r27
.Lpg_name_27: .ascii "rcpc2, "
.endif
.if .Lpg_r28
.Lpg_name_28: .ascii "rdm, "
.endif
.if .Lpg_r29
.Lpg_name_29: .ascii "sb, "
.endif
.if .Lpg_r30
.Lpg_name_30: .ascii "sha2, "
.endif
.if .Lpg_r31
.Lpg_name_31: .ascii "sha3, "
.endif
.if .Lpg_r32
.Lpg_name_32: .ascii "sm4, "
.endif
.if .Lpg_r34
.Lpg_name_34: .ascii "ssbs, "
.endif
.if .Lpg_r35
.Lpg_name_35: .ascii "sve, "
.endif
.if .Lpg_r36
.Lpg_name_36: .ascii "sve2, "
.endif
.if .Lpg_r37
.Lpg_name_37: .ascii "sve2-aes, "
.endif
.if .Lpg_r38
.Lpg_name_38: .ascii "sve2-bitperm, "
.endif
.if .Lpg_r39
.Lpg_name_39: .ascii "sve2-sha3, "
.endif
.if .Lpg_r40
.Lpg_name_40: .ascii "sve2-sm4, "
.endif
.popsection
.endm
