// The CPU gate (see src/cpu/mod.rs), written by src/cpu/asm.rs: do not edit.
// Expects .Lpg_r<i> = 1 for each feature i of the table the compile assumes
// (0 otherwise); assembled by `PLATFORM_GUARD_CPU_GATE <base>`.
.set .Lpg_v2, .Lpg_r25 & .Lpg_r32 & .Lpg_r39 & .Lpg_r40 & .Lpg_r41 & .Lpg_r43
.set .Lpg_v3, .Lpg_v2 & .Lpg_r2 & .Lpg_r3 & .Lpg_r23 & .Lpg_r24 & .Lpg_r26 & .Lpg_r27 & .Lpg_r29 & .Lpg_r30 & .Lpg_r47
.set .Lpg_v4, .Lpg_v3 & .Lpg_r6 & .Lpg_r7 & .Lpg_r8 & .Lpg_r9 & .Lpg_r14
.set .Lpg_start_len, 97 + 3 * .Lpg_v2 + 4 * .Lpg_r0 + 4 * .Lpg_r1 + 4 * .Lpg_r2 * (1 - .Lpg_v3) + 5 * .Lpg_r3 * (1 - .Lpg_v3) + 11 * .Lpg_r4 + 13 * .Lpg_r5 + 9 * .Lpg_r6 * (1 - .Lpg_v4) + 9 * .Lpg_r7 * (1 - .Lpg_v4) + 9 * .Lpg_r8 * (1 - .Lpg_v4) + 8 * .Lpg_r9 * (1 - .Lpg_v4) + 11 * .Lpg_r10 + 11 * .Lpg_r11 + 11 * .Lpg_r12 + 12 * .Lpg_r13 + 9 * .Lpg_r14 * (1 - .Lpg_v4) + 11 * .Lpg_r15 + 19 * .Lpg_r16 + 16 * .Lpg_r17 + 8 * .Lpg_r18 + 13 * .Lpg_r19 + 8 * .Lpg_r20 + 13 * .Lpg_r21 + 12 * .Lpg_r22 + 5 * .Lpg_r23 * (1 - .Lpg_v3) + 5 * .Lpg_r24 * (1 - .Lpg_v3) + 11 * .Lpg_r25 * (1 - .Lpg_v2) + 5 * .Lpg_r26 * (1 - .Lpg_v3) + 4 * .Lpg_r27 * (1 - .Lpg_v3) + 5 * .Lpg_r28 + 6 * .Lpg_r29 * (1 - .Lpg_v3) + 6 * .Lpg_r30 * (1 - .Lpg_v3) + 10 * .Lpg_r31 + 7 * .Lpg_r32 * (1 - .Lpg_v2) + 7 * .Lpg_r33 + 7 * .Lpg_r34 + 4 * .Lpg_r35 + 7 * .Lpg_r36 + 4 * .Lpg_r37 + 4 * .Lpg_r38 + 5 * .Lpg_r39 * (1 - .Lpg_v2) + 7 * .Lpg_r40 * (1 - .Lpg_v2) + 7 * .Lpg_r41 * (1 - .Lpg_v2) + 6 * .Lpg_r42 + 6 * .Lpg_r43 * (1 - .Lpg_v2) + 4 * .Lpg_r44 + 5 * .Lpg_r45 + 11 * .Lpg_r46 + 6 * .Lpg_r47 * (1 - .Lpg_v3) + 7 * .Lpg_r48 + 9 * .Lpg_r49 + 7 * .Lpg_r50
.set .Lpg_text_len, .Lpg_start_len + 5 * .Lpg_r0 + 5 * .Lpg_r1 + 5 * .Lpg_r2 + 6 * .Lpg_r3 + 12 * .Lpg_r4 + 14 * .Lpg_r5 + 10 * .Lpg_r6 + 10 * .Lpg_r7 + 10 * .Lpg_r8 + 9 * .Lpg_r9 + 12 * .Lpg_r10 + 12 * .Lpg_r11 + 12 * .Lpg_r12 + 13 * .Lpg_r13 + 10 * .Lpg_r14 + 12 * .Lpg_r15 + 20 * .Lpg_r16 + 17 * .Lpg_r17 + 9 * .Lpg_r18 + 14 * .Lpg_r19 + 9 * .Lpg_r20 + 14 * .Lpg_r21 + 13 * .Lpg_r22 + 6 * .Lpg_r23 + 6 * .Lpg_r24 + 12 * .Lpg_r25 + 6 * .Lpg_r26 + 5 * .Lpg_r27 + 6 * .Lpg_r28 + 7 * .Lpg_r29 + 7 * .Lpg_r30 + 11 * .Lpg_r31 + 8 * .Lpg_r32 + 8 * .Lpg_r33 + 8 * .Lpg_r34 + 5 * .Lpg_r35 + 8 * .Lpg_r36 + 5 * .Lpg_r37 + 5 * .Lpg_r38 + 6 * .Lpg_r39 + 8 * .Lpg_r40 + 8 * .Lpg_r41 + 7 * .Lpg_r42 + 7 * .Lpg_r43 + 5 * .Lpg_r44 + 6 * .Lpg_r45 + 12 * .Lpg_r46 + 7 * .Lpg_r47 + 8 * .Lpg_r48 + 10 * .Lpg_r49 + 8 * .Lpg_r50
.macro PLATFORM_GUARD_CPU_GATE base
.pushsection .text.\base\()gate,"ax",@progbits
.p2align 4
.globl \base\()enforce
.hidden \base\()enforce
.type \base\()enforce,@function
.globl \base\()check
.hidden \base\()check
.type \base\()check,@function
.globl \base\()missing
.hidden \base\()missing
.type \base\()missing,@function
\base\()enforce:
    push %rbx
    call .Lpg_detect
    test %rax, %rax
    jz .Lpg_enforce_runs
    call .Lpg_message
    jmp .Lpg_refuse
.Lpg_enforce_runs:
    pop %rbx
    ret
.size \base\()enforce, . - \base\()enforce

\base\()check:
    push %rbx
    call .Lpg_detect
    mov %rax, .Lpg_missing(%rip)
    test %rax, %rax
    jz .Lpg_check_runs
    call .Lpg_message
    call .Lpg_backstop
.Lpg_check_runs:
    pop %rbx
    ret
.size \base\()check, . - \base\()check

\base\()missing:
    mov .Lpg_missing(%rip), %rax
    ret
.size \base\()missing, . - \base\()missing

# rax = missing features. r8: the mask; r9d, r10d: the highest basic and
# extended leaves; r11d: 1 = the OS saves AVX state, 2 = and AVX-512 state,
# 4 = BMI is trusted. Clobbers rbx (the callers save it), rcx, rdx, rsi, rdi.
.Lpg_detect:
    xor %r8d, %r8d
    xor %r11d, %r11d
    xor %esi, %esi
    xor %eax, %eax
    cpuid
    mov %eax, %r9d
    cmp $0x756e6547, %ebx
    jne .Lpg_not_intel
    cmp $0x49656e69, %edx
    jne .Lpg_not_intel
    cmp $0x6c65746e, %ecx
    jne .Lpg_not_intel
    mov $1, %esi
.Lpg_not_intel:
    mov $0x80000000, %eax
    cpuid
    mov %eax, %r10d
    mov $1, %eax
    xor %ecx, %ecx
    cpuid
    mov %ecx, %edi
    bt $27, %ecx
    jnc .Lpg_state_known
    xor %ecx, %ecx
    xgetbv
    mov %eax, %edx
    and $6, %edx
    cmp $6, %edx
    jne .Lpg_state_known
    or $1, %r11d
    and $0xe0, %eax
    cmp $0xe0, %eax
    jne .Lpg_state_known
    or $2, %r11d
.Lpg_state_known:
    test %esi, %esi
    jz .Lpg_bmi_trusted
    bt $28, %edi
    jnc .Lpg_bmi_known
    test $1, %r11d
    jz .Lpg_bmi_known
.Lpg_bmi_trusted:
    or $4, %r11d
.Lpg_bmi_known:
.if .Lpg_r0 | .Lpg_r3 | .Lpg_r5 | .Lpg_r6 | .Lpg_r7 | .Lpg_r8 | .Lpg_r9 | .Lpg_r10 | .Lpg_r11 | .Lpg_r12 | .Lpg_r13 | .Lpg_r14 | .Lpg_r15 | .Lpg_r16 | .Lpg_r17 | .Lpg_r23 | .Lpg_r24 | .Lpg_r28 | .Lpg_r34 | .Lpg_r35 | .Lpg_r45 | .Lpg_r46
    mov $0x7, %eax
    mov $0x0, %ecx
    call .Lpg_cpuid
.if .Lpg_r0
    # adx
    mov %ebx, %edi
    and $0x80000, %edi
    cmp $0x80000, %edi
    jne .Lpg_lacks_0
    jmp .Lpg_has_0
.Lpg_lacks_0:
    bts $0, %r8
.Lpg_has_0:
.endif
.if .Lpg_r3
    # avx2
    mov %ebx, %edi
    and $0x20, %edi
    cmp $0x20, %edi
    jne .Lpg_lacks_3
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_3
.Lpg_lacks_3:
    bts $3, %r8
.Lpg_has_3:
.endif
.if .Lpg_r5
    # avx512bitalg
    mov %ecx, %edi
    and $0x1000, %edi
    cmp $0x1000, %edi
    jne .Lpg_lacks_5
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_5
.Lpg_lacks_5:
    bts $5, %r8
.Lpg_has_5:
.endif
.if .Lpg_r6
    # avx512bw
    mov %ebx, %edi
    and $0x40000000, %edi
    cmp $0x40000000, %edi
    jne .Lpg_lacks_6
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_6
.Lpg_lacks_6:
    bts $6, %r8
.Lpg_has_6:
.endif
.if .Lpg_r7
    # avx512cd
    mov %ebx, %edi
    and $0x10000000, %edi
    cmp $0x10000000, %edi
    jne .Lpg_lacks_7
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_7
.Lpg_lacks_7:
    bts $7, %r8
.Lpg_has_7:
.endif
.if .Lpg_r8
    # avx512dq
    mov %ebx, %edi
    and $0x20000, %edi
    cmp $0x20000, %edi
    jne .Lpg_lacks_8
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_8
.Lpg_lacks_8:
    bts $8, %r8
.Lpg_has_8:
.endif
.if .Lpg_r9
    # avx512f
    mov %ebx, %edi
    and $0x10000, %edi
    cmp $0x10000, %edi
    jne .Lpg_lacks_9
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_9
.Lpg_lacks_9:
    bts $9, %r8
.Lpg_has_9:
.endif
.if .Lpg_r10
    # avx512fp16
    mov %edx, %edi
    and $0x800000, %edi
    cmp $0x800000, %edi
    jne .Lpg_lacks_10
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_10
.Lpg_lacks_10:
    bts $10, %r8
.Lpg_has_10:
.endif
.if .Lpg_r11
    # avx512ifma
    mov %ebx, %edi
    and $0x200000, %edi
    cmp $0x200000, %edi
    jne .Lpg_lacks_11
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_11
.Lpg_lacks_11:
    bts $11, %r8
.Lpg_has_11:
.endif
.if .Lpg_r12
    # avx512vbmi
    mov %ecx, %edi
    and $0x2, %edi
    cmp $0x2, %edi
    jne .Lpg_lacks_12
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_12
.Lpg_lacks_12:
    bts $12, %r8
.Lpg_has_12:
.endif
.if .Lpg_r13
    # avx512vbmi2
    mov %ecx, %edi
    and $0x40, %edi
    cmp $0x40, %edi
    jne .Lpg_lacks_13
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_13
.Lpg_lacks_13:
    bts $13, %r8
.Lpg_has_13:
.endif
.if .Lpg_r14
    # avx512vl
    mov %ebx, %edi
    and $0x80000000, %edi
    cmp $0x80000000, %edi
    jne .Lpg_lacks_14
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_14
.Lpg_lacks_14:
    bts $14, %r8
.Lpg_has_14:
.endif
.if .Lpg_r15
    # avx512vnni
    mov %ecx, %edi
    and $0x800, %edi
    cmp $0x800, %edi
    jne .Lpg_lacks_15
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_15
.Lpg_lacks_15:
    bts $15, %r8
.Lpg_has_15:
.endif
.if .Lpg_r16
    # avx512vp2intersect
    mov %edx, %edi
    and $0x100, %edi
    cmp $0x100, %edi
    jne .Lpg_lacks_16
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_16
.Lpg_lacks_16:
    bts $16, %r8
.Lpg_has_16:
.endif
.if .Lpg_r17
    # avx512vpopcntdq
    mov %ecx, %edi
    and $0x4000, %edi
    cmp $0x4000, %edi
    jne .Lpg_lacks_17
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_17
.Lpg_lacks_17:
    bts $17, %r8
.Lpg_has_17:
.endif
.if .Lpg_r23
    # bmi1
    mov %ebx, %edi
    and $0x8, %edi
    cmp $0x8, %edi
    jne .Lpg_lacks_23
    mov %r11d, %edi
    and $4, %edi
    cmp $4, %edi
    je .Lpg_has_23
.Lpg_lacks_23:
    bts $23, %r8
.Lpg_has_23:
.endif
.if .Lpg_r24
    # bmi2
    mov %ebx, %edi
    and $0x100, %edi
    cmp $0x100, %edi
    jne .Lpg_lacks_24
    mov %r11d, %edi
    and $4, %edi
    cmp $4, %edi
    je .Lpg_has_24
.Lpg_lacks_24:
    bts $24, %r8
.Lpg_has_24:
.endif
.if .Lpg_r28
    # gfni
    mov %ecx, %edi
    and $0x100, %edi
    cmp $0x100, %edi
    jne .Lpg_lacks_28
    jmp .Lpg_has_28
.Lpg_lacks_28:
    bts $28, %r8
.Lpg_has_28:
.endif
.if .Lpg_r34
    # rdseed
    mov %ebx, %edi
    and $0x40000, %edi
    cmp $0x40000, %edi
    jne .Lpg_lacks_34
    jmp .Lpg_has_34
.Lpg_lacks_34:
    bts $34, %r8
.Lpg_has_34:
.endif
.if .Lpg_r35
    # sha
    mov %ebx, %edi
    and $0x20000000, %edi
    cmp $0x20000000, %edi
    jne .Lpg_lacks_35
    jmp .Lpg_has_35
.Lpg_lacks_35:
    bts $35, %r8
.Lpg_has_35:
.endif
.if .Lpg_r45
    # vaes
    mov %ecx, %edi
    and $0x200, %edi
    cmp $0x200, %edi
    jne .Lpg_lacks_45
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_45
.Lpg_lacks_45:
    bts $45, %r8
.Lpg_has_45:
.endif
.if .Lpg_r46
    # vpclmulqdq
    mov %ecx, %edi
    and $0x400, %edi
    cmp $0x400, %edi
    jne .Lpg_lacks_46
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_46
.Lpg_lacks_46:
    bts $46, %r8
.Lpg_has_46:
.endif
.endif
.if .Lpg_r1 | .Lpg_r2 | .Lpg_r25 | .Lpg_r26 | .Lpg_r27 | .Lpg_r30 | .Lpg_r31 | .Lpg_r32 | .Lpg_r33 | .Lpg_r39 | .Lpg_r40 | .Lpg_r41 | .Lpg_r43 | .Lpg_r47
    mov $0x1, %eax
    mov $0x0, %ecx
    call .Lpg_cpuid
.if .Lpg_r1
    # aes
    mov %ecx, %edi
    and $0x2000000, %edi
    cmp $0x2000000, %edi
    jne .Lpg_lacks_1
    jmp .Lpg_has_1
.Lpg_lacks_1:
    bts $1, %r8
.Lpg_has_1:
.endif
.if .Lpg_r2
    # avx
    mov %ecx, %edi
    and $0x10000000, %edi
    cmp $0x10000000, %edi
    jne .Lpg_lacks_2
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_2
.Lpg_lacks_2:
    bts $2, %r8
.Lpg_has_2:
.endif
.if .Lpg_r25
    # cmpxchg16b
    mov %ecx, %edi
    and $0x2000, %edi
    cmp $0x2000, %edi
    jne .Lpg_lacks_25
    jmp .Lpg_has_25
.Lpg_lacks_25:
    bts $25, %r8
.Lpg_has_25:
.endif
.if .Lpg_r26
    # f16c
    mov %ecx, %edi
    and $0x20000000, %edi
    cmp $0x20000000, %edi
    jne .Lpg_lacks_26
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_26
.Lpg_lacks_26:
    bts $26, %r8
.Lpg_has_26:
.endif
.if .Lpg_r27
    # fma
    mov %ecx, %edi
    and $0x1000, %edi
    cmp $0x1000, %edi
    jne .Lpg_lacks_27
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_27
.Lpg_lacks_27:
    bts $27, %r8
.Lpg_has_27:
.endif
.if .Lpg_r30
    # movbe
    mov %ecx, %edi
    and $0x400000, %edi
    cmp $0x400000, %edi
    jne .Lpg_lacks_30
    jmp .Lpg_has_30
.Lpg_lacks_30:
    bts $30, %r8
.Lpg_has_30:
.endif
.if .Lpg_r31
    # pclmulqdq
    mov %ecx, %edi
    and $0x2, %edi
    cmp $0x2, %edi
    jne .Lpg_lacks_31
    jmp .Lpg_has_31
.Lpg_lacks_31:
    bts $31, %r8
.Lpg_has_31:
.endif
.if .Lpg_r32
    # popcnt
    mov %ecx, %edi
    and $0x800000, %edi
    cmp $0x800000, %edi
    jne .Lpg_lacks_32
    jmp .Lpg_has_32
.Lpg_lacks_32:
    bts $32, %r8
.Lpg_has_32:
.endif
.if .Lpg_r33
    # rdrand
    mov %ecx, %edi
    and $0x40000000, %edi
    cmp $0x40000000, %edi
    jne .Lpg_lacks_33
    jmp .Lpg_has_33
.Lpg_lacks_33:
    bts $33, %r8
.Lpg_has_33:
.endif
.if .Lpg_r39
    # sse3
    mov %ecx, %edi
    and $0x1, %edi
    cmp $0x1, %edi
    jne .Lpg_lacks_39
    jmp .Lpg_has_39
.Lpg_lacks_39:
    bts $39, %r8
.Lpg_has_39:
.endif
.if .Lpg_r40
    # sse4.1
    mov %ecx, %edi
    and $0x80000, %edi
    cmp $0x80000, %edi
    jne .Lpg_lacks_40
    jmp .Lpg_has_40
.Lpg_lacks_40:
    bts $40, %r8
.Lpg_has_40:
.endif
.if .Lpg_r41
    # sse4.2
    mov %ecx, %edi
    and $0x100000, %edi
    cmp $0x100000, %edi
    jne .Lpg_lacks_41
    jmp .Lpg_has_41
.Lpg_lacks_41:
    bts $41, %r8
.Lpg_has_41:
.endif
.if .Lpg_r43
    # ssse3
    mov %ecx, %edi
    and $0x200, %edi
    cmp $0x200, %edi
    jne .Lpg_lacks_43
    jmp .Lpg_has_43
.Lpg_lacks_43:
    bts $43, %r8
.Lpg_has_43:
.endif
.if .Lpg_r47
    # xsave
    mov %ecx, %edi
    and $0x4000000, %edi
    cmp $0x4000000, %edi
    jne .Lpg_lacks_47
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_47
.Lpg_lacks_47:
    bts $47, %r8
.Lpg_has_47:
.endif
.endif
.if .Lpg_r4 | .Lpg_r18 | .Lpg_r19 | .Lpg_r20 | .Lpg_r21 | .Lpg_r22 | .Lpg_r36 | .Lpg_r37 | .Lpg_r38
    mov $0x7, %eax
    mov $0x1, %ecx
    call .Lpg_cpuid
.if .Lpg_r4
    # avx512bf16
    mov %eax, %edi
    and $0x20, %edi
    cmp $0x20, %edi
    jne .Lpg_lacks_4
    mov %r11d, %edi
    and $3, %edi
    cmp $3, %edi
    je .Lpg_has_4
.Lpg_lacks_4:
    bts $4, %r8
.Lpg_has_4:
.endif
.if .Lpg_r18
    # avxifma
    mov %eax, %edi
    and $0x800000, %edi
    cmp $0x800000, %edi
    jne .Lpg_lacks_18
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_18
.Lpg_lacks_18:
    bts $18, %r8
.Lpg_has_18:
.endif
.if .Lpg_r19
    # avxneconvert
    mov %edx, %edi
    and $0x20, %edi
    cmp $0x20, %edi
    jne .Lpg_lacks_19
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_19
.Lpg_lacks_19:
    bts $19, %r8
.Lpg_has_19:
.endif
.if .Lpg_r20
    # avxvnni
    mov %eax, %edi
    and $0x10, %edi
    cmp $0x10, %edi
    jne .Lpg_lacks_20
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_20
.Lpg_lacks_20:
    bts $20, %r8
.Lpg_has_20:
.endif
.if .Lpg_r21
    # avxvnniint16
    mov %edx, %edi
    and $0x400, %edi
    cmp $0x400, %edi
    jne .Lpg_lacks_21
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_21
.Lpg_lacks_21:
    bts $21, %r8
.Lpg_has_21:
.endif
.if .Lpg_r22
    # avxvnniint8
    mov %edx, %edi
    and $0x10, %edi
    cmp $0x10, %edi
    jne .Lpg_lacks_22
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_22
.Lpg_lacks_22:
    bts $22, %r8
.Lpg_has_22:
.endif
.if .Lpg_r36
    # sha512
    mov %eax, %edi
    and $0x1, %edi
    cmp $0x1, %edi
    jne .Lpg_lacks_36
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_36
.Lpg_lacks_36:
    bts $36, %r8
.Lpg_has_36:
.endif
.if .Lpg_r37
    # sm3
    mov %eax, %edi
    and $0x2, %edi
    cmp $0x2, %edi
    jne .Lpg_lacks_37
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_37
.Lpg_lacks_37:
    bts $37, %r8
.Lpg_has_37:
.endif
.if .Lpg_r38
    # sm4
    mov %eax, %edi
    and $0x4, %edi
    cmp $0x4, %edi
    jne .Lpg_lacks_38
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_38
.Lpg_lacks_38:
    bts $38, %r8
.Lpg_has_38:
.endif
.endif
.if .Lpg_r29 | .Lpg_r42 | .Lpg_r44
    mov $0x80000001, %eax
    mov $0x0, %ecx
    call .Lpg_cpuid
.if .Lpg_r29
    # lzcnt
    mov %ecx, %edi
    and $0x20, %edi
    cmp $0x20, %edi
    jne .Lpg_lacks_29
    jmp .Lpg_has_29
.Lpg_lacks_29:
    bts $29, %r8
.Lpg_has_29:
.endif
.if .Lpg_r42
    # sse4a
    mov %ecx, %edi
    and $0x40, %edi
    cmp $0x40, %edi
    jne .Lpg_lacks_42
    jmp .Lpg_has_42
.Lpg_lacks_42:
    bts $42, %r8
.Lpg_has_42:
.endif
.if .Lpg_r44
    # tbm
    mov %ecx, %edi
    and $0x200000, %edi
    cmp $0x200000, %edi
    jne .Lpg_lacks_44
    jmp .Lpg_has_44
.Lpg_lacks_44:
    bts $44, %r8
.Lpg_has_44:
.endif
.endif
.if .Lpg_r48 | .Lpg_r49 | .Lpg_r50
    mov $0xd, %eax
    mov $0x1, %ecx
    call .Lpg_cpuid
.if .Lpg_r48
    # xsavec
    mov %eax, %edi
    and $0x2, %edi
    cmp $0x2, %edi
    jne .Lpg_lacks_48
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_48
.Lpg_lacks_48:
    bts $48, %r8
.Lpg_has_48:
.endif
.if .Lpg_r49
    # xsaveopt
    mov %eax, %edi
    and $0x1, %edi
    cmp $0x1, %edi
    jne .Lpg_lacks_49
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_49
.Lpg_lacks_49:
    bts $49, %r8
.Lpg_has_49:
.endif
.if .Lpg_r50
    # xsaves
    mov %eax, %edi
    and $0x8, %edi
    cmp $0x8, %edi
    jne .Lpg_lacks_50
    mov %r11d, %edi
    and $1, %edi
    cmp $1, %edi
    je .Lpg_has_50
.Lpg_lacks_50:
    bts $50, %r8
.Lpg_has_50:
.endif
.endif
    mov %r8, %rax
    ret

# eax = leaf, ecx = subleaf: cpuid, or all zero beyond the highest leaf.
.Lpg_cpuid:
    cmp $0x80000000, %eax
    jae .Lpg_cpuid_extended
    cmp %r9d, %eax
    ja .Lpg_cpuid_none
    cpuid
    ret
.Lpg_cpuid_extended:
    cmp %r10d, %eax
    ja .Lpg_cpuid_none
    cpuid
    ret
.Lpg_cpuid_none:
    xor %eax, %eax
    xor %ebx, %ebx
    xor %ecx, %ecx
    xor %edx, %edx
    ret

# rax = missing features: the refusal line into .Lpg_text, its length
# into .Lpg_len.
.Lpg_message:
    cld
    mov %rax, %rdx
    lea .Lpg_text(%rip), %rdi
    lea .Lpg_start(%rip), %rsi
    mov $.Lpg_start_len, %ecx
    rep movsb
.if .Lpg_r0
    bt $0, %rdx
    jnc .Lpg_named_0
    lea .Lpg_name_0(%rip), %rsi
    mov $5, %ecx
    rep movsb
.Lpg_named_0:
.endif
.if .Lpg_r1
    bt $1, %rdx
    jnc .Lpg_named_1
    lea .Lpg_name_1(%rip), %rsi
    mov $5, %ecx
    rep movsb
.Lpg_named_1:
.endif
.if .Lpg_r2
    bt $2, %rdx
    jnc .Lpg_named_2
    lea .Lpg_name_2(%rip), %rsi
    mov $5, %ecx
    rep movsb
.Lpg_named_2:
.endif
.if .Lpg_r3
    bt $3, %rdx
    jnc .Lpg_named_3
    lea .Lpg_name_3(%rip), %rsi
    mov $6, %ecx
    rep movsb
.Lpg_named_3:
.endif
.if .Lpg_r4
    bt $4, %rdx
    jnc .Lpg_named_4
    lea .Lpg_name_4(%rip), %rsi
    mov $12, %ecx
    rep movsb
.Lpg_named_4:
.endif
.if .Lpg_r5
    bt $5, %rdx
    jnc .Lpg_named_5
    lea .Lpg_name_5(%rip), %rsi
    mov $14, %ecx
    rep movsb
.Lpg_named_5:
.endif
.if .Lpg_r6
    bt $6, %rdx
    jnc .Lpg_named_6
    lea .Lpg_name_6(%rip), %rsi
    mov $10, %ecx
    rep movsb
.Lpg_named_6:
.endif
.if .Lpg_r7
    bt $7, %rdx
    jnc .Lpg_named_7
    lea .Lpg_name_7(%rip), %rsi
    mov $10, %ecx
    rep movsb
.Lpg_named_7:
.endif
.if .Lpg_r8
    bt $8, %rdx
    jnc .Lpg_named_8
    lea .Lpg_name_8(%rip), %rsi
    mov $10, %ecx
    rep movsb
.Lpg_named_8:
.endif
.if .Lpg_r9
    bt $9, %rdx
    jnc .Lpg_named_9
    lea .Lpg_name_9(%rip), %rsi
    mov $9, %ecx
    rep movsb
.Lpg_named_9:
.endif
.if .Lpg_r10
    bt $10, %rdx
    jnc .Lpg_named_10
    lea .Lpg_name_10(%rip), %rsi
    mov $12, %ecx
    rep movsb
.Lpg_named_10:
.endif
.if .Lpg_r11
    bt $11, %rdx
    jnc .Lpg_named_11
    lea .Lpg_name_11(%rip), %rsi
    mov $12, %ecx
    rep movsb
.Lpg_named_11:
.endif
.if .Lpg_r12
    bt $12, %rdx
    jnc .Lpg_named_12
    lea .Lpg_name_12(%rip), %rsi
    mov $12, %ecx
    rep movsb
.Lpg_named_12:
.endif
.if .Lpg_r13
    bt $13, %rdx
    jnc .Lpg_named_13
    lea .Lpg_name_13(%rip), %rsi
    mov $13, %ecx
    rep movsb
.Lpg_named_13:
.endif
.if .Lpg_r14
    bt $14, %rdx
    jnc .Lpg_named_14
    lea .Lpg_name_14(%rip), %rsi
    mov $10, %ecx
    rep movsb
.Lpg_named_14:
.endif
.if .Lpg_r15
    bt $15, %rdx
    jnc .Lpg_named_15
    lea .Lpg_name_15(%rip), %rsi
    mov $12, %ecx
    rep movsb
.Lpg_named_15:
.endif
.if .Lpg_r16
    bt $16, %rdx
    jnc .Lpg_named_16
    lea .Lpg_name_16(%rip), %rsi
    mov $20, %ecx
    rep movsb
.Lpg_named_16:
.endif
.if .Lpg_r17
    bt $17, %rdx
    jnc .Lpg_named_17
    lea .Lpg_name_17(%rip), %rsi
    mov $17, %ecx
    rep movsb
.Lpg_named_17:
.endif
.if .Lpg_r18
    bt $18, %rdx
    jnc .Lpg_named_18
    lea .Lpg_name_18(%rip), %rsi
    mov $9, %ecx
    rep movsb
.Lpg_named_18:
.endif
.if .Lpg_r19
    bt $19, %rdx
    jnc .Lpg_named_19
    lea .Lpg_name_19(%rip), %rsi
    mov $14, %ecx
    rep movsb
.Lpg_named_19:
.endif
.if .Lpg_r20
    bt $20, %rdx
    jnc .Lpg_named_20
    lea .Lpg_name_20(%rip), %rsi
    mov $9, %ecx
    rep movsb
.Lpg_named_20:
.endif
.if .Lpg_r21
    bt $21, %rdx
    jnc .Lpg_named_21
    lea .Lpg_name_21(%rip), %rsi
    mov $14, %ecx
    rep movsb
.Lpg_named_21:
.endif
.if .Lpg_r22
    bt $22, %rdx
    jnc .Lpg_named_22
    lea .Lpg_name_22(%rip), %rsi
    mov $13, %ecx
    rep movsb
.Lpg_named_22:
.endif
.if .Lpg_r23
    bt $23, %rdx
    jnc .Lpg_named_23
    lea .Lpg_name_23(%rip), %rsi
    mov $6, %ecx
    rep movsb
.Lpg_named_23:
.endif
.if .Lpg_r24
    bt $24, %rdx
    jnc .Lpg_named_24
    lea .Lpg_name_24(%rip), %rsi
    mov $6, %ecx
    rep movsb
.Lpg_named_24:
.endif
.if .Lpg_r25
    bt $25, %rdx
    jnc .Lpg_named_25
    lea .Lpg_name_25(%rip), %rsi
    mov $12, %ecx
    rep movsb
.Lpg_named_25:
.endif
.if .Lpg_r26
    bt $26, %rdx
    jnc .Lpg_named_26
    lea .Lpg_name_26(%rip), %rsi
    mov $6, %ecx
    rep movsb
.Lpg_named_26:
.endif
.if .Lpg_r27
    bt $27, %rdx
    jnc .Lpg_named_27
    lea .Lpg_name_27(%rip), %rsi
    mov $5, %ecx
    rep movsb
.Lpg_named_27:
.endif
.if .Lpg_r28
    bt $28, %rdx
    jnc .Lpg_named_28
    lea .Lpg_name_28(%rip), %rsi
    mov $6, %ecx
    rep movsb
.Lpg_named_28:
.endif
.if .Lpg_r29
    bt $29, %rdx
    jnc .Lpg_named_29
    lea .Lpg_name_29(%rip), %rsi
    mov $7, %ecx
    rep movsb
.Lpg_named_29:
.endif
.if .Lpg_r30
    bt $30, %rdx
    jnc .Lpg_named_30
    lea .Lpg_name_30(%rip), %rsi
    mov $7, %ecx
    rep movsb
.Lpg_named_30:
.endif
.if .Lpg_r31
    bt $31, %rdx
    jnc .Lpg_named_31
    lea .Lpg_name_31(%rip), %rsi
    mov $11, %ecx
    rep movsb
.Lpg_named_31:
.endif
.if .Lpg_r32
    bt $32, %rdx
    jnc .Lpg_named_32
    lea .Lpg_name_32(%rip), %rsi
    mov $8, %ecx
    rep movsb
.Lpg_named_32:
.endif
.if .Lpg_r33
    bt $33, %rdx
    jnc .Lpg_named_33
    lea .Lpg_name_33(%rip), %rsi
    mov $8, %ecx
    rep movsb
.Lpg_named_33:
.endif
.if .Lpg_r34
    bt $34, %rdx
    jnc .Lpg_named_34
    lea .Lpg_name_34(%rip), %rsi
    mov $8, %ecx
    rep movsb
.Lpg_named_34:
.endif
.if .Lpg_r35
    bt $35, %rdx
    jnc .Lpg_named_35
    lea .Lpg_name_35(%rip), %rsi
    mov $5, %ecx
    rep movsb
.Lpg_named_35:
.endif
.if .Lpg_r36
    bt $36, %rdx
    jnc .Lpg_named_36
    lea .Lpg_name_36(%rip), %rsi
    mov $8, %ecx
    rep movsb
.Lpg_named_36:
.endif
.if .Lpg_r37
    bt $37, %rdx
    jnc .Lpg_named_37
    lea .Lpg_name_37(%rip), %rsi
    mov $5, %ecx
    rep movsb
.Lpg_named_37:
.endif
.if .Lpg_r38
    bt $38, %rdx
    jnc .Lpg_named_38
    lea .Lpg_name_38(%rip), %rsi
    mov $5, %ecx
    rep movsb
.Lpg_named_38:
.endif
.if .Lpg_r39
    bt $39, %rdx
    jnc .Lpg_named_39
    lea .Lpg_name_39(%rip), %rsi
    mov $6, %ecx
    rep movsb
.Lpg_named_39:
.endif
.if .Lpg_r40
    bt $40, %rdx
    jnc .Lpg_named_40
    lea .Lpg_name_40(%rip), %rsi
    mov $8, %ecx
    rep movsb
.Lpg_named_40:
.endif
.if .Lpg_r41
    bt $41, %rdx
    jnc .Lpg_named_41
    lea .Lpg_name_41(%rip), %rsi
    mov $8, %ecx
    rep movsb
.Lpg_named_41:
.endif
.if .Lpg_r42
    bt $42, %rdx
    jnc .Lpg_named_42
    lea .Lpg_name_42(%rip), %rsi
    mov $7, %ecx
    rep movsb
.Lpg_named_42:
.endif
.if .Lpg_r43
    bt $43, %rdx
    jnc .Lpg_named_43
    lea .Lpg_name_43(%rip), %rsi
    mov $7, %ecx
    rep movsb
.Lpg_named_43:
.endif
.if .Lpg_r44
    bt $44, %rdx
    jnc .Lpg_named_44
    lea .Lpg_name_44(%rip), %rsi
    mov $5, %ecx
    rep movsb
.Lpg_named_44:
.endif
.if .Lpg_r45
    bt $45, %rdx
    jnc .Lpg_named_45
    lea .Lpg_name_45(%rip), %rsi
    mov $6, %ecx
    rep movsb
.Lpg_named_45:
.endif
.if .Lpg_r46
    bt $46, %rdx
    jnc .Lpg_named_46
    lea .Lpg_name_46(%rip), %rsi
    mov $12, %ecx
    rep movsb
.Lpg_named_46:
.endif
.if .Lpg_r47
    bt $47, %rdx
    jnc .Lpg_named_47
    lea .Lpg_name_47(%rip), %rsi
    mov $7, %ecx
    rep movsb
.Lpg_named_47:
.endif
.if .Lpg_r48
    bt $48, %rdx
    jnc .Lpg_named_48
    lea .Lpg_name_48(%rip), %rsi
    mov $8, %ecx
    rep movsb
.Lpg_named_48:
.endif
.if .Lpg_r49
    bt $49, %rdx
    jnc .Lpg_named_49
    lea .Lpg_name_49(%rip), %rsi
    mov $10, %ecx
    rep movsb
.Lpg_named_49:
.endif
.if .Lpg_r50
    bt $50, %rdx
    jnc .Lpg_named_50
    lea .Lpg_name_50(%rip), %rsi
    mov $8, %ecx
    rep movsb
.Lpg_named_50:
.endif
    sub $2, %rdi
    movb $10, (%rdi)
    inc %rdi
    lea .Lpg_text(%rip), %rsi
    sub %rsi, %rdi
    mov %rdi, .Lpg_len(%rip)
    ret

# The line to stderr, however many writes it takes (EINTR retried; any
# other error, or a closed stderr, ends it quietly).
.Lpg_write:
    lea .Lpg_text(%rip), %rsi
    mov .Lpg_len(%rip), %rdx
.Lpg_write_more:
    test %rdx, %rdx
    jz .Lpg_written
    mov $1, %eax
    mov $2, %edi
    syscall
    cmp $-4, %rax
    je .Lpg_write_more
    test %rax, %rax
    jle .Lpg_written
    add %rax, %rsi
    sub %rax, %rdx
    jmp .Lpg_write_more
.Lpg_written:
    ret

# SIGPIPE ignored (a closed pipe on stderr fails the write instead of
# killing the process), the line, then exit_group(1). Also the SIGILL
# handler.
.Lpg_refuse:
    mov $13, %edi
    mov $1, %esi
    call .Lpg_sigaction
    call .Lpg_write
    mov $231, %eax
    mov $1, %edi
    syscall
    jmp .Lpg_refuse

# The line on SIGILL.
.Lpg_backstop:
    mov $4, %edi
    lea .Lpg_refuse(%rip), %rsi
    jmp .Lpg_sigaction

# rt_sigaction(edi, [rsi, SA_RESTORER, restorer, empty mask], NULL, 8).
.Lpg_sigaction:
    sub $40, %rsp
    mov %rsi, (%rsp)
    movq $0x04000000, 8(%rsp)
    lea .Lpg_restorer(%rip), %rax
    mov %rax, 16(%rsp)
    movq $0, 24(%rsp)
    mov $13, %eax
    mov %rsp, %rsi
    xor %edx, %edx
    mov $8, %r10d
    syscall
    add $40, %rsp
    ret
.Lpg_restorer:
    mov $15, %eax
    syscall
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
.if .Lpg_v4
.ascii "x86-64-v4"
.elseif .Lpg_v3
.ascii "x86-64-v3"
.elseif .Lpg_v2
.ascii "x86-64-v2"
.else
.ascii "x86-64"
.endif
.if .Lpg_r0
.ascii "+adx"
.endif
.if .Lpg_r1
.ascii "+aes"
.endif
.if .Lpg_r2 * (1 - .Lpg_v3)
.ascii "+avx"
.endif
.if .Lpg_r3 * (1 - .Lpg_v3)
.ascii "+avx2"
.endif
.if .Lpg_r4
.ascii "+avx512bf16"
.endif
.if .Lpg_r5
.ascii "+avx512bitalg"
.endif
.if .Lpg_r6 * (1 - .Lpg_v4)
.ascii "+avx512bw"
.endif
.if .Lpg_r7 * (1 - .Lpg_v4)
.ascii "+avx512cd"
.endif
.if .Lpg_r8 * (1 - .Lpg_v4)
.ascii "+avx512dq"
.endif
.if .Lpg_r9 * (1 - .Lpg_v4)
.ascii "+avx512f"
.endif
.if .Lpg_r10
.ascii "+avx512fp16"
.endif
.if .Lpg_r11
.ascii "+avx512ifma"
.endif
.if .Lpg_r12
.ascii "+avx512vbmi"
.endif
.if .Lpg_r13
.ascii "+avx512vbmi2"
.endif
.if .Lpg_r14 * (1 - .Lpg_v4)
.ascii "+avx512vl"
.endif
.if .Lpg_r15
.ascii "+avx512vnni"
.endif
.if .Lpg_r16
.ascii "+avx512vp2intersect"
.endif
.if .Lpg_r17
.ascii "+avx512vpopcntdq"
.endif
.if .Lpg_r18
.ascii "+avxifma"
.endif
.if .Lpg_r19
.ascii "+avxneconvert"
.endif
.if .Lpg_r20
.ascii "+avxvnni"
.endif
.if .Lpg_r21
.ascii "+avxvnniint16"
.endif
.if .Lpg_r22
.ascii "+avxvnniint8"
.endif
.if .Lpg_r23 * (1 - .Lpg_v3)
.ascii "+bmi1"
.endif
.if .Lpg_r24 * (1 - .Lpg_v3)
.ascii "+bmi2"
.endif
.if .Lpg_r25 * (1 - .Lpg_v2)
.ascii "+cmpxchg16b"
.endif
.if .Lpg_r26 * (1 - .Lpg_v3)
.ascii "+f16c"
.endif
.if .Lpg_r27 * (1 - .Lpg_v3)
.ascii "+fma"
.endif
.if .Lpg_r28
.ascii "+gfni"
.endif
.if .Lpg_r29 * (1 - .Lpg_v3)
.ascii "+lzcnt"
.endif
.if .Lpg_r30 * (1 - .Lpg_v3)
.ascii "+movbe"
.endif
.if .Lpg_r31
.ascii "+pclmulqdq"
.endif
.if .Lpg_r32 * (1 - .Lpg_v2)
.ascii "+popcnt"
.endif
.if .Lpg_r33
.ascii "+rdrand"
.endif
.if .Lpg_r34
.ascii "+rdseed"
.endif
.if .Lpg_r35
.ascii "+sha"
.endif
.if .Lpg_r36
.ascii "+sha512"
.endif
.if .Lpg_r37
.ascii "+sm3"
.endif
.if .Lpg_r38
.ascii "+sm4"
.endif
.if .Lpg_r39 * (1 - .Lpg_v2)
.ascii "+sse3"
.endif
.if .Lpg_r40 * (1 - .Lpg_v2)
.ascii "+sse4.1"
.endif
.if .Lpg_r41 * (1 - .Lpg_v2)
.ascii "+sse4.2"
.endif
.if .Lpg_r42
.ascii "+sse4a"
.endif
.if .Lpg_r43 * (1 - .Lpg_v2)
.ascii "+ssse3"
.endif
.if .Lpg_r44
.ascii "+tbm"
.endif
.if .Lpg_r45
.ascii "+vaes"
.endif
.if .Lpg_r46
.ascii "+vpclmulqdq"
.endif
.if .Lpg_r47 * (1 - .Lpg_v3)
.ascii "+xsave"
.endif
.if .Lpg_r48
.ascii "+xsavec"
.endif
.if .Lpg_r49
.ascii "+xsaveopt"
.endif
.if .Lpg_r50
.ascii "+xsaves"
.endif
.ascii ", and the CPU lacks "
.if .Lpg_r0
.Lpg_name_0: .ascii "adx, "
.endif
.if .Lpg_r1
.Lpg_name_1: .ascii "aes, "
.endif
.if .Lpg_r2
.Lpg_name_2: .ascii "avx, "
.endif
.if .Lpg_r3
.Lpg_name_3: .ascii "avx2, "
.endif
.if .Lpg_r4
.Lpg_name_4: .ascii "avx512bf16, "
.endif
.if .Lpg_r5
.Lpg_name_5: .ascii "avx512bitalg, "
.endif
.if .Lpg_r6
.Lpg_name_6: .ascii "avx512bw, "
.endif
.if .Lpg_r7
.Lpg_name_7: .ascii "avx512cd, "
.endif
.if .Lpg_r8
.Lpg_name_8: .ascii "avx512dq, "
.endif
.if .Lpg_r9
.Lpg_name_9: .ascii "avx512f, "
.endif
.if .Lpg_r10
.Lpg_name_10: .ascii "avx512fp16, "
.endif
.if .Lpg_r11
.Lpg_name_11: .ascii "avx512ifma, "
.endif
.if .Lpg_r12
.Lpg_name_12: .ascii "avx512vbmi, "
.endif
.if .Lpg_r13
.Lpg_name_13: .ascii "avx512vbmi2, "
.endif
.if .Lpg_r14
.Lpg_name_14: .ascii "avx512vl, "
.endif
.if .Lpg_r15
.Lpg_name_15: .ascii "avx512vnni, "
.endif
.if .Lpg_r16
.Lpg_name_16: .ascii "avx512vp2intersect, "
.endif
.if .Lpg_r17
.Lpg_name_17: .ascii "avx512vpopcntdq, "
.endif
.if .Lpg_r18
.Lpg_name_18: .ascii "avxifma, "
.endif
.if .Lpg_r19
.Lpg_name_19: .ascii "avxneconvert, "
.endif
.if .Lpg_r20
.Lpg_name_20: .ascii "avxvnni, "
.endif
.if .Lpg_r21
.Lpg_name_21: .ascii "avxvnniint16, "
.endif
.if .Lpg_r22
.Lpg_name_22: .ascii "avxvnniint8, "
.endif
.if .Lpg_r23
.Lpg_name_23: .ascii "bmi1, "
.endif
.if .Lpg_r24
.Lpg_name_24: .ascii "bmi2, "
.endif
.if .Lpg_r25
.Lpg_name_25: .ascii "cmpxchg16b, "
.endif
.if .Lpg_r26
.Lpg_name_26: .ascii "f16c, "
.endif
.if .Lpg_r27
.Lpg_name_27: .ascii "fma, "
.endif
.if .Lpg_r28
.Lpg_name_28: .ascii "gfni, "
.endif
.if .Lpg_r29
.Lpg_name_29: .ascii "lzcnt, "
.endif
.if .Lpg_r30
.Lpg_name_30: .ascii "movbe, "
.endif
.if .Lpg_r31
.Lpg_name_31: .ascii "pclmulqdq, "
.endif
.if .Lpg_r32
.Lpg_name_32: .ascii "popcnt, "
.endif
.if .Lpg_r33
.Lpg_name_33: .ascii "rdrand, "
.endif
.if .Lpg_r34
.Lpg_name_34: .ascii "rdseed, "
.endif
.if .Lpg_r35
.Lpg_name_35: .ascii "sha, "
.endif
.if .Lpg_r36
.Lpg_name_36: .ascii "sha512, "
.endif
.if .Lpg_r37
.Lpg_name_37: .ascii "sm3, "
.endif
.if .Lpg_r38
.Lpg_name_38: .ascii "sm4, "
.endif
.if .Lpg_r39
.Lpg_name_39: .ascii "sse3, "
.endif
.if .Lpg_r40
.Lpg_name_40: .ascii "sse4.1, "
.endif
.if .Lpg_r41
.Lpg_name_41: .ascii "sse4.2, "
.endif
.if .Lpg_r42
.Lpg_name_42: .ascii "sse4a, "
.endif
.if .Lpg_r43
.Lpg_name_43: .ascii "ssse3, "
.endif
.if .Lpg_r44
.Lpg_name_44: .ascii "tbm, "
.endif
.if .Lpg_r45
.Lpg_name_45: .ascii "vaes, "
.endif
.if .Lpg_r46
.Lpg_name_46: .ascii "vpclmulqdq, "
.endif
.if .Lpg_r47
.Lpg_name_47: .ascii "xsave, "
.endif
.if .Lpg_r48
.Lpg_name_48: .ascii "xsavec, "
.endif
.if .Lpg_r49
.Lpg_name_49: .ascii "xsaveopt, "
.endif
.if .Lpg_r50
.Lpg_name_50: .ascii "xsaves, "
.endif
.popsection
.endm
