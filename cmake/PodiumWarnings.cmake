# podium_set_warnings(target): the warning set every Podium target builds with.
function(podium_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow=local
    -Wnon-virtual-dtor -Wno-missing-field-initializers)
endfunction()
